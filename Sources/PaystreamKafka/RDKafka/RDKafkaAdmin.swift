import CRDKafka
import PaystreamBasics

enum RDKafkaAdmin {
    static func createTopics(_ rk: OpaquePointer, _ topics: [KafkaNewTopic], timeout: Duration) throws -> [String] {
        guard !topics.isEmpty else { return [] }
        var errorText = [CChar](repeating: 0, count: 512)
        var newTopics: [OpaquePointer?] = []
        defer { newTopics.forEach { rd_kafka_NewTopic_destroy($0) } }
        for topic in topics {
            guard let nt = rd_kafka_NewTopic_new(topic.name, Int32(topic.partitions), Int32(topic.replicationFactor), &errorText, errorText.count) else {
                throw KafkaError(operation: "create topic", code: "_INVALID_ARG", reason: decodeCString(errorText), topic: topic.name)
            }
            newTopics.append(nt)
            for (name, value) in topic.configs.sorted(by: { $0.key < $1.key }) {
                rd_kafka_NewTopic_set_config(nt, name, value)
            }
        }
        let event = try request(rk, RD_KAFKA_ADMIN_OP_CREATETOPICS, "create topics", timeout: timeout) { options, queue in
            rd_kafka_CreateTopics(rk, &newTopics, newTopics.count, options, queue)
        }
        defer { rd_kafka_event_destroy(event) }
        guard let result = rd_kafka_event_CreateTopics_result(event) else { return [] }
        var count = 0
        guard let results = rd_kafka_CreateTopics_result_topics(result, &count) else { return [] }
        var created: [String] = []
        for i in 0..<count {
            let name = String(cString: rd_kafka_topic_result_name(results[i]))
            let topicErr = rd_kafka_topic_result_error(results[i])
            switch topicErr {
            case RD_KAFKA_RESP_ERR_NO_ERROR: created.append(name)
            case RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS: continue
            default: throw KafkaError(operation: "create topic", code: topicErr, topic: name)
            }
        }
        return created
    }

    /// Sends one admin request (`send`, given its options and a queue of its own) and waits
    /// for its result: the event, which the caller destroys, or the request's error.
    static func request(
        _ rk: OpaquePointer, _ op: rd_kafka_admin_op_t, _ operation: String, timeout: Duration,
        send: (_ options: OpaquePointer?, _ queue: OpaquePointer?) -> Void
    ) throws -> OpaquePointer {
        let queue = rd_kafka_queue_new(rk)
        defer { rd_kafka_queue_destroy(queue) }
        let options = rd_kafka_AdminOptions_new(rk, op)
        defer { rd_kafka_AdminOptions_destroy(options) }
        var errorText = [CChar](repeating: 0, count: 512)
        rd_kafka_AdminOptions_set_operation_timeout(options, Int32(timeout.milliseconds), &errorText, errorText.count)
        rd_kafka_AdminOptions_set_request_timeout(options, Int32(timeout.milliseconds), &errorText, errorText.count)
        send(options, queue)
        guard let event = rd_kafka_queue_poll(queue, Int32(timeout.milliseconds) + 1000) else {
            throw KafkaError(operation: operation, code: RD_KAFKA_RESP_ERR__TIMED_OUT)
        }
        let err = rd_kafka_event_error(event)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            rd_kafka_event_destroy(event)
            throw KafkaError(operation: operation, code: err)
        }
        return event
    }
}
