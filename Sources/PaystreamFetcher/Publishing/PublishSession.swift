import Foundation
import PaystreamKafka

/// How one work unit's records and checkpoints reach Kafka. One session per unit owner,
/// used by one task at a time.
protocol PublishSession: AnyObject {
    /// Whether records and checkpoints commit atomically, fenced by the unit's
    /// transactional id (exactly once), or the checkpoint follows acknowledged records
    /// (at least once).
    var isTransactional: Bool { get }

    /// Declares this fetcher the unit's writer and writes a claim to the state topic;
    /// returns its offset. With transactions, older writers are fenced first and their open
    /// transaction ended, so every checkpoint they committed lies before the claim.
    func claim(state: StateTopicLayout, partition: Int32, key: String, value: [UInt8]) async throws -> Int64

    /// Sends one record (begins a transaction first when none is open).
    func send(topic: String, key: [UInt8], value: ArraySlice<UInt8>, headers: [KafkaHeader]) async throws

    /// Makes the records sent since the last commit durable together with a checkpoint.
    /// Once every record sent is acknowledged, `checkpoint` is called with, per partition
    /// of `topic`, the offset after the last of them there (so a checkpoint can say where
    /// records of a later transaction may start) and returns the checkpoint's key and value.
    /// Bounded as `bound` says; past it, `CommitTimeout` (or `CancellationError` when a stop
    /// that abandons the unit came first), and the caller abandons.
    func commit(
        topic: String, state: StateTopicLayout, partition: Int32, _ bound: CommitBound,
        checkpoint: ([Int32: Int64]) throws -> (key: String, value: [UInt8])
    ) async throws

    /// Gives up on what was sent since the last commit, without waiting for the broker:
    /// an open transaction is aborted (its records never become visible on brokers that
    /// hide aborted data; see `LeakedRecordScan` for the others), messages not yet
    /// acknowledged are purged. Their checkpoint does not move, so they are sent again.
    func abandon() async

    func close() async
}

/// A commit did not finish in time (or was interrupted by a stop): nothing of it is
/// durable, and the checkpoint did not move.
struct CommitTimeout: Error, CustomStringConvertible {
    var timeout: Duration
    var waitingFor: String

    var description: String { "the commit did not finish within \(timeout) (still waiting for \(waitingFor))" }
}
