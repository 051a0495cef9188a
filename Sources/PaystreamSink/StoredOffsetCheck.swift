import Logging
import PaystreamKafka
import PaystreamStore

/// Checks the store's offsets against the broker before consuming. An offset past the
/// partition's end means the topic was recreated (offsets restarted): the partition is
/// consumed again from the beginning, and the upserts' cursor guard keeps newer rows.
/// An offset before the partition's start means retention removed messages the store
/// never saw: consumption resumes at the first message still there, with a warning.
struct StoredOffsetCheck {
    let store: RecordStore
    let consumer: KafkaConsumer
    let logger: Logger

    /// `ends`: each partition's end offset, read from the broker just before.
    func validOffsets(ends: [KafkaTopicPartition: Int64]) throws -> [StorePartition: Int64] {
        var offsets = try store.storedOffsets()
        var stale: [StorePartition] = []
        for (tp, high) in ends.sorted(by: { $0.key < $1.key }) {
            let p = StorePartition(topic: tp.topic, partition: tp.partition)
            guard let stored = offsets[p] else { continue }
            let low = try consumer.watermarks(tp, timeout: .seconds(10)).low
            if stored > high {
                logger.warning("stored offset \(stored) is past the end (\(high)) of \(tp): the topic was recreated; re-reading it from the beginning")
                offsets[p] = nil
                stale.append(p)
            } else if stored < low {
                logger.warning("stored offset \(stored) of \(tp) is before the first message still on the broker (\(low)): messages in between were removed by retention and cannot be read")
                offsets[p] = low
            }
        }
        if !stale.isEmpty { try store.deleteOffsets(stale) }
        return offsets
    }
}
