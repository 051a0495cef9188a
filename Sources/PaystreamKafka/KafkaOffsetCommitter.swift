import CRDKafka
import PaystreamMessageFormat

/// Commits offsets for a consumer's group from any thread: the one part of a `KafkaConsumer`
/// that may leave the thread owning it, because librdkafka's commit is thread-safe. The sink
/// commits on its writer thread, right after the store committed, while its polling thread
/// goes on reading.
public struct KafkaOffsetCommitter: Sendable {
    let handle: RDKafkaHandle

    /// Commits `offsets` (the next offset to read, i.e. last processed + 1) synchronously.
    public func commit(_ offsets: [KafkaTopicPartition: Int64]) throws {
        guard !offsets.isEmpty else { return }
        let list = RDKafkaTopicPartitionList.make(offsets)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        let err = rd_kafka_commit(handle.pointer, list, 0)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError(operation: "commit offsets", code: err)
        }
        for (tp, _, perr) in RDKafkaTopicPartitionList.elements(list) where perr != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError(operation: "commit offsets", code: perr, topic: tp.topic, partition: tp.partition)
        }
    }
}

extension KafkaConsumer {
    public var offsetCommitter: KafkaOffsetCommitter { KafkaOffsetCommitter(handle: handle) }
}
