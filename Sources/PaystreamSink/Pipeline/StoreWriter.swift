import Foundation
import Logging
import PaystreamKafka
import PaystreamStore
import PaystreamMessageFormat
import Synchronization

/// The sink's writing thread: each prepared batch goes into the store in one transaction
/// (rows, offsets, and dead letters acknowledged before the commit), and only then are its
/// offsets committed to Kafka, for lag tools. It runs while the polling thread reads and
/// prepares the next batch; at most one job waits between them, which bounds memory.
///
/// When the sink stops, the writer writes what was handed to it until the stop's deadline;
/// a wait still running then gives up (its batch is rolled back), and jobs not started are
/// dropped: neither is committed anywhere, and the next start reads them again. Kafka commits
/// never hold it up: they are sent without waiting, and their answers read after each batch
/// and, at the end, awaited until the deadline (or the Kafka timeout).
///
/// The store is moved into the thread at start and used nowhere else: the compiler checks
/// that the caller gives it up (`sending`), and `RecordStore` is not `Sendable`.
final class StoreWriter: Sendable {
    enum Job {
        case write(PreparedBatch<KafkaConsumedMessage>, positions: [TopicPartition: Int64], topicIDs: [String: String])
        /// The stored offsets of these partitions no longer apply (their topic was recreated).
        case forget([TopicPartition])

        var messageCount: Int {
            switch self {
            case .write(let batch, _, _): batch.messages.count
            case .forget: 0
            }
        }
    }

    private let jobs = Handoff<Job>(capacity: 1)
    private let deadLetters: DeadLetterPublisher
    private let committer: KafkaOffsetCommitter
    private let metrics: SinkMetrics
    private let hooks: SinkConfiguration.TestingHooks
    private let stop: SinkStop
    private let kafkaTimeout: Duration
    private let logger: Logger
    private let state = Mutex(State())
    private let stopped = DispatchSemaphore(value: 0)

    private struct State {
        var totals = SinkTotals()
        var failure: (any Error)?
    }

    init(
        store: sending RecordStore, deadLetters: DeadLetterPublisher, committer: KafkaOffsetCommitter,
        metrics: SinkMetrics, configuration: SinkConfiguration, stop: SinkStop, logger: Logger
    ) {
        self.deadLetters = deadLetters
        self.committer = committer
        self.metrics = metrics
        hooks = configuration.testing
        kafkaTimeout = configuration.kafkaTimeout
        self.stop = stop
        self.logger = logger
        // The hand-over to the thread: taken out once, there.
        let handOver = Mutex<RecordStore?>(store)
        Thread { [self] in
            Thread.current.name = "sink.write"
            if let store = handOver.withLock({ $0.take() }) { run(store) }
            stopped.signal()
        }.start()
    }

    /// Queues a job, waiting while the previous one is still queued. False once the writer
    /// has failed: the caller stops and `finish` reports why.
    func submit(_ job: Job) -> Bool { jobs.put(job) }

    var totals: SinkTotals { state.withLock { $0.totals } }

    /// How long the polling side waited for the writer, and the writer for batches.
    var waits: (forWriter: Duration, forBatches: Duration) {
        let w = jobs.waits
        return (w.put, w.take)
    }

    /// Writes what is queued, stops the thread, and throws the first failure, if any.
    func finish() throws -> SinkTotals {
        jobs.close()
        stopped.wait()
        return try state.withLock { s in
            if let failure = s.failure { throw failure }
            return s.totals
        }
    }

    private func run(_ store: RecordStore) {
        let commits = committer.pendingCommits()
        while let job = jobs.take() {
            do {
                if stop.deadlineHasPassed {
                    // A batch not written is an error (exit status 1); a forgotten partition is
                    // looked at again at the next start anyway.
                    guard job.messageCount == 0 else { throw NotWritten(messages: job.messageCount) }
                    continue
                }
                try perform(job, store, commits)
            } catch {
                state.withLock { $0.failure = $0.failure ?? error }
                jobs.close()
                // Drain: nothing after a failed batch may be written.
                var dropped = 0
                while let later = jobs.take() { dropped += later.messageCount }
                if dropped > 0 { logger.warning("\(dropped) more message(s) read were not written; they are read again at the next start") }
                break
            }
        }
        awaitCommitAnswers(commits)
    }

    private func perform(_ job: Job, _ store: RecordStore, _ commits: KafkaPendingCommits) throws {
        switch job {
        case .forget(let partitions):
            try store.forget(partitions)
            metrics.forget(partitions)
        case .write(let batch, let positions, let topicIDs):
            let started = ContinuousClock.now
            let summary = try store.write(batch, positions: positions, topicIDs: topicIDs) { rejected in
                if !rejected.isEmpty { hooks.beforeDeadLetters?() }
                try deadLetters.publish(rejected.map { (batch.messages[$0.index], $0.reason) })
            }
            let batches = state.withLock { s in
                s.totals.add(summary, messages: batch.messages.count)
                return s.totals.batches
            }
            metrics.batchWritten(batch.messages, summary, since: started)
            hooks.afterStoreCommit?(batches)
            commitToKafka(summary.nextOffsets, commits)
        }
    }

    /// Kafka's committed offsets are for lag monitoring and other tools; the store's own
    /// offsets are what the sink resumes from, so a failed commit here loses nothing.
    private func commitToKafka(_ offsets: [TopicPartition: Int64], _ commits: KafkaPendingCommits) {
        do {
            try commits.send(offsets)
        } catch {
            logger.warning("offset commit to Kafka failed (the store has the offsets; will commit again after the next batch): \(error)")
        }
        for failure in commits.takeFailures() {
            logger.warning("offset commit to Kafka failed (the store has the offsets; will commit again after the next batch): \(failure)")
        }
    }

    /// The last commits' answers, awaited until the stop's deadline (or the Kafka timeout);
    /// commits unanswered then are abandoned: the store has their offsets, and the next
    /// start commits them.
    private func awaitCommitAnswers(_ commits: KafkaPendingCommits) {
        for failure in commits.takeFailures(waitingUntil: stop.waitEnd(kafkaTimeout)) {
            logger.warning("offset commit to Kafka failed (the store has the offsets; the next start commits them): \(failure)")
        }
        if commits.unanswered > 0 {
            logger.warning("stopping without the broker's answer to \(commits.unanswered) offset commit(s): the store has the offsets; lag tools see them once the sink runs again")
        }
    }

    /// Messages handed to the writer that it did not start on before the stop's deadline.
    struct NotWritten: Error, CustomStringConvertible {
        var messages: Int
        var description: String {
            "stopping: \(messages) message(s) read were not written within the stop bound; nothing of them was committed, and they are read again at the next start"
        }
    }
}

/// Counts for the progress log and the exit summary.
struct SinkTotals: Sendable {
    var batches = 0
    var messages = 0
    var upserted = 0
    var deleted = 0
    var deadLettered = 0

    mutating func add(_ summary: WriteSummary, messages: Int) {
        self.messages += messages
        batches += 1
        upserted += summary.upserted
        deleted += summary.deleted
        deadLettered += summary.rejected.count
    }
}
