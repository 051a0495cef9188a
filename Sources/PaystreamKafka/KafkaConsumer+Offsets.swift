import CRDKafka
import PaystreamMessageFormat

/// What this consumer's own fetches learnt about the partitions it reads.
extension KafkaConsumer {
    /// Watermarks (first offset, offset after the last message) from the last fetch
    /// response, without asking the broker; nil until the partition was fetched from. Cheap
    /// enough for periodic lag reports. librdkafka learns the low one only from statistics
    /// (`statistics.interval.ms`): nil without them.
    public func cachedWatermarks(_ tp: KafkaTopicPartition) -> (low: Int64?, high: Int64)? {
        var low = RDKafkaOffset.none
        var high = RDKafkaOffset.none
        let err = rd_kafka_get_watermark_offsets(handle.pointer, tp.topic, tp.partition, &low, &high)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR, let high = RDKafkaOffset.real(high) else { return nil }
        return (RDKafkaOffset.real(low), high)
    }
}
