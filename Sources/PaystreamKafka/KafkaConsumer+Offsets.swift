import CRDKafka
import PaystreamMessageFormat

/// Offsets as the group and the broker see them.
extension KafkaConsumer {
    /// The group's committed offsets; partitions without one are absent.
    public func committed(_ partitions: [KafkaTopicPartition], timeout: Duration) throws -> [KafkaTopicPartition: Int64] {
        let list = RDKafkaTopicPartitionList.make(partitions)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        let err = rd_kafka_committed(handle.pointer, list, Int32(timeout.milliseconds))
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(operation: "read committed offsets", code: err) }
        var result: [KafkaTopicPartition: Int64] = [:]
        for (tp, offset, _) in RDKafkaTopicPartitionList.elements(list) { result[tp] = offset }
        return result
    }

    /// Low and high watermarks (first offset, offset after the last message) as the broker
    /// answers a ListOffsets query. The high one is wrong on Tansu 0.6: use `endOffsets`.
    public func watermarks(_ partition: KafkaTopicPartition, timeout: Duration) throws -> (low: Int64, high: Int64) {
        try RDKafkaMetadata.watermarks(handle.pointer, partition, timeout: timeout)
    }

    /// End offsets (high watermarks) as fetch responses report them, for partitions this
    /// consumer is not subscribed to (it assigns them itself, then unassigns). A broker's
    /// answer to a ListOffsets query can be wrong where fetch responses are right: Tansu
    /// 0.6 answers with the last record batch's base offset + 1.
    public func endOffsets(_ partitions: [KafkaTopicPartition], timeout: Duration) throws -> [KafkaTopicPartition: Int64] {
        guard !partitions.isEmpty else { return [:] }
        try assign(Dictionary(uniqueKeysWithValues: partitions.map { ($0, KafkaOffset.end) }))
        defer { try? assign([:]) }
        var ends: [KafkaTopicPartition: Int64] = [:]
        let deadline = ContinuousClock.now + timeout
        while ends.count < partitions.count {
            guard ContinuousClock.now < deadline else {
                throw KafkaError(operation: "read end offsets (\(ends.count) of \(partitions.count) partitions answered)", code: RD_KAFKA_RESP_ERR__TIMED_OUT)
            }
            _ = try poll(maxMessages: 10_000, timeout: .milliseconds(50))
            for tp in partitions where ends[tp] == nil {
                if let (_, high) = cachedWatermarks(tp) { ends[tp] = high }
            }
        }
        return ends
    }

    /// Watermarks from the last fetch response, without asking the broker; nil until the
    /// partition was fetched from. Cheap enough for periodic lag reports. librdkafka learns
    /// the low one only from statistics (`statistics.interval.ms`): nil without them.
    public func cachedWatermarks(_ tp: KafkaTopicPartition) -> (low: Int64?, high: Int64)? {
        var low = RDKafkaOffset.none
        var high = RDKafkaOffset.none
        let err = rd_kafka_get_watermark_offsets(handle.pointer, tp.topic, tp.partition, &low, &high)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR, let high = RDKafkaOffset.real(high) else { return nil }
        return (RDKafkaOffset.real(low), high)
    }
}
