import Logging
import PaystreamKafka
import PaystreamStore
import Synchronization

/// Starts each assigned partition where the store says it is: the offsets in SQLite were
/// committed with the rows, so they are exact. A partition the store has never seen starts
/// from the beginning of the topic, whatever the group committed (a new store is rebuilt).
final class SinkRebalanceHandler: KafkaRebalanceHandler {
    private let startOffsets: Mutex<[StorePartition: Int64]>
    private let revoked = Atomic<Bool>(false)

    init(startOffsets: [StorePartition: Int64]) {
        self.startOffsets = Mutex(startOffsets)
    }

    /// Called by the worker after each batch so later assignments resume from there.
    func advance(_ offsets: [StorePartition: Int64]) {
        startOffsets.withLock { $0.merge(offsets) { max($0, $1) } }
    }

    func partitionsAssigned(_ partitions: [KafkaTopicPartition]) -> [KafkaTopicPartition: Int64] {
        startOffsets.withLock { stored in
            Dictionary(uniqueKeysWithValues: partitions.map { tp in
                (tp, stored[StorePartition(topic: tp.topic, partition: tp.partition)] ?? KafkaOffset.beginning)
            })
        }
    }

    func partitionsRevoked(_ partitions: [KafkaTopicPartition]) {
        revoked.store(true, ordering: .releasing)
    }

    /// True once after a revocation: the worker then writes its batch without waiting.
    func takeRevoked() -> Bool { revoked.exchange(false, ordering: .acquiring) }
}
