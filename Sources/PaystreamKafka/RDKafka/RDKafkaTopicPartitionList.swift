import CRDKafka
import PaystreamMessageFormat

/// Conversions between Swift collections and `rd_kafka_topic_partition_list_t`.
enum RDKafkaTopicPartitionList {
    /// A new C list; the caller destroys it with `rd_kafka_topic_partition_list_destroy`.
    static func make(_ offsets: [KafkaTopicPartition: KafkaOffset]) -> UnsafeMutablePointer<rd_kafka_topic_partition_list_t> {
        make(offsets.mapValues(RDKafkaOffset.value))
    }

    /// A list for a query (positions, committed offsets): no offsets, librdkafka fills them in.
    static func make(_ partitions: [KafkaTopicPartition]) -> UnsafeMutablePointer<rd_kafka_topic_partition_list_t> {
        make(Dictionary(partitions.map { ($0, RDKafkaOffset.none) }, uniquingKeysWith: { a, _ in a }))
    }

    /// A list of real offsets (e.g. to commit).
    static func make(_ offsets: [KafkaTopicPartition: Int64]) -> UnsafeMutablePointer<rd_kafka_topic_partition_list_t> {
        let list = rd_kafka_topic_partition_list_new(Int32(offsets.count))!
        for (tp, offset) in offsets.sorted(by: { $0.key < $1.key }) {
            rd_kafka_topic_partition_list_add(list, tp.topic, tp.partition).pointee.offset = offset
        }
        return list
    }

    /// Each element's partition, its real offset (nil when librdkafka has none) and error.
    static func elements(_ list: UnsafePointer<rd_kafka_topic_partition_list_t>) -> [(KafkaTopicPartition, Int64?, rd_kafka_resp_err_t)] {
        (0..<Int(list.pointee.cnt)).map { i in
            let e = list.pointee.elems[i]
            return (KafkaTopicPartition(topic: String(cString: e.topic), partition: e.partition), RDKafkaOffset.real(e.offset), e.err)
        }
    }
}
