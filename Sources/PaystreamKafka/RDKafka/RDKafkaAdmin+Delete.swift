import CRDKafka
import PaystreamBasics

extension RDKafkaAdmin {
    /// Deletes the topics; a topic that does not exist is no error.
    static func deleteTopics(_ rk: OpaquePointer, _ names: [String], timeout: Duration) throws {
        guard !names.isEmpty else { return }
        var topics: [OpaquePointer?] = names.map { rd_kafka_DeleteTopic_new($0) }
        defer { topics.forEach { rd_kafka_DeleteTopic_destroy($0) } }
        let event = try request(rk, RD_KAFKA_ADMIN_OP_DELETETOPICS, "delete topics", timeout: timeout) { options, queue in
            rd_kafka_DeleteTopics(rk, &topics, topics.count, options, queue)
        }
        defer { rd_kafka_event_destroy(event) }
        guard let result = rd_kafka_event_DeleteTopics_result(event) else { return }
        var count = 0
        guard let results = rd_kafka_DeleteTopics_result_topics(result, &count) else { return }
        for i in 0..<count {
            let topicErr = rd_kafka_topic_result_error(results[i])
            if topicErr != RD_KAFKA_RESP_ERR_NO_ERROR && topicErr != RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART {
                throw KafkaError(operation: "delete topic", code: topicErr, topic: String(cString: rd_kafka_topic_result_name(results[i])))
            }
        }
    }
}
