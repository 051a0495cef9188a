import CRDKafka
import Foundation
import PaystreamBasics
import PaystreamMessageFormat

enum RDKafkaMetadata {
    /// The first offset still on the broker, from a ListOffsets query. (Its answer for the
    /// end is wrong on Tansu 0.6: `KafkaPartitionReader.endOffsets` reads fetch responses.)
    static func lowWatermark(_ rk: OpaquePointer, _ tp: KafkaTopicPartition, timeout: Duration) throws -> Int64 {
        var low = RDKafkaOffset.none
        var high = RDKafkaOffset.none
        let err = rd_kafka_query_watermark_offsets(rk, tp.topic, tp.partition, &low, &high, Int32(timeout.milliseconds))
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError(operation: "query watermarks", code: err, topic: tp.topic, partition: tp.partition)
        }
        return low
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

extension RDKafkaMetadata {
    /// DescribeTopics (an admin request any client handle can send): partition counts and,
    /// where the broker has them, topic ids.
    static func describeTopics(_ rk: OpaquePointer, _ topics: [String], timeout: Duration, giveUp: () -> Bool) throws -> [String: KafkaTopicDescription] {
        guard !topics.isEmpty else { return [:] }
        let names = topics.map { strdup($0) }
        defer { names.forEach { free($0) } }
        let collection = names.map { UnsafePointer($0) }.withUnsafeBufferPointer { buffer in
            rd_kafka_TopicCollection_of_topic_names(UnsafeMutablePointer(mutating: buffer.baseAddress), buffer.count)
        }
        defer { rd_kafka_TopicCollection_destroy(collection) }
        let queue = rd_kafka_queue_new(rk)
        defer { rd_kafka_queue_destroy(queue) }
        let options = rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_DESCRIBETOPICS)
        defer { rd_kafka_AdminOptions_destroy(options) }
        var errorText = [CChar](repeating: 0, count: 512)
        rd_kafka_AdminOptions_set_request_timeout(options, Int32(timeout.milliseconds), &errorText, errorText.count)
        rd_kafka_DescribeTopics(rk, collection, options, queue)
        let event = try awaitEvent(queue, until: .now + timeout + .seconds(1), giveUp: giveUp, operation: "describe topics")
        defer { rd_kafka_event_destroy(event) }
        let err = rd_kafka_event_error(event)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(operation: "describe topics", code: err) }
        guard let result = rd_kafka_event_DescribeTopics_result(event) else { return [:] }
        var count = 0
        guard let descriptions = rd_kafka_DescribeTopics_result_topics(result, &count) else { return [:] }
        var described: [String: KafkaTopicDescription] = [:]
        for i in 0..<count {
            guard let d = descriptions[i] else { continue }
            let name = String(cString: rd_kafka_TopicDescription_name(d))
            if let error = rd_kafka_TopicDescription_error(d) {
                let code = rd_kafka_error_code(error)
                if code == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART { continue }
                throw KafkaError(operation: "describe topic", code: code, topic: name)
            }
            var partitions = 0
            _ = rd_kafka_TopicDescription_partitions(d, &partitions)
            guard partitions > 0 else { continue }
            described[name] = KafkaTopicDescription(partitionCount: partitions, topicID: topicID(rd_kafka_TopicDescription_topic_id(d)))
        }
        return described
    }

    /// The next event on `queue`, polled in short slices so that `giveUp` is heard.
    private static func awaitEvent(
        _ queue: OpaquePointer?, until deadline: ContinuousClock.Instant, giveUp: () -> Bool, operation: String
    ) throws -> OpaquePointer {
        while true {
            let slice = min(100, max(0, (deadline - .now).milliseconds))
            if let event = rd_kafka_queue_poll(queue, Int32(slice)) { return event }
            if giveUp() { throw KafkaError(operation: operation, code: RD_KAFKA_RESP_ERR__INTR) }
            if ContinuousClock.now >= deadline { throw KafkaError(operation: operation, code: RD_KAFKA_RESP_ERR__TIMED_OUT) }
        }
    }

    /// Base64 of a topic id, or nil for the all-zero id of a broker that has none.
    private static func topicID(_ uuid: OpaquePointer?) -> String? {
        guard let uuid, rd_kafka_Uuid_most_significant_bits(uuid) != 0 || rd_kafka_Uuid_least_significant_bits(uuid) != 0,
              let text = rd_kafka_Uuid_base64str(uuid) else { return nil }
        return String(cString: text)
    }
}
