import CRDKafka

enum RDKafkaMetadata {
    static func watermarks(_ rk: OpaquePointer, _ tp: KafkaTopicPartition, timeout: Duration) throws -> (low: Int64, high: Int64) {
        var low: Int64 = 0
        var high: Int64 = 0
        let err = rd_kafka_query_watermark_offsets(rk, tp.topic, tp.partition, &low, &high, Int32(timeout.milliseconds))
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError(operation: "query watermarks", code: err, topic: tp.topic, partition: tp.partition)
        }
        return (low, high)
    }

    /// Partition counts for the topics that exist; missing topics are absent.
    static func partitionCounts(_ rk: OpaquePointer, _ topics: [String], timeout: Duration) throws -> [String: Int] {
        var metadata: UnsafePointer<rd_kafka_metadata>?
        let err = rd_kafka_metadata(rk, 1, nil, &metadata, Int32(timeout.milliseconds))
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(operation: "read cluster metadata", code: err) }
        guard let metadata else { return [:] }
        defer { rd_kafka_metadata_destroy(metadata) }
        let wanted = Set(topics)
        var counts: [String: Int] = [:]
        for i in 0..<Int(metadata.pointee.topic_cnt) {
            let t = metadata.pointee.topics[i]
            let name = String(cString: t.topic)
            if wanted.contains(name), t.err == RD_KAFKA_RESP_ERR_NO_ERROR, t.partition_cnt > 0 {
                counts[name] = Int(t.partition_cnt)
            }
        }
        return counts
    }

    /// Brokers the cluster reports. With `all_topics` off and no topic handle, librdkafka
    /// asks for no topics at all: brokers and controller only.
    static func brokerCount(_ rk: OpaquePointer, timeout: Duration) throws -> Int {
        var metadata: UnsafePointer<rd_kafka_metadata>?
        let err = rd_kafka_metadata(rk, 0, nil, &metadata, Int32(timeout.milliseconds))
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(operation: "read cluster metadata", code: err) }
        guard let metadata else { return 0 }
        defer { rd_kafka_metadata_destroy(metadata) }
        return Int(metadata.pointee.broker_cnt)
    }
}
