import CRDKafka

extension KafkaError {
    init(
        operation: String, code err: rd_kafka_resp_err_t, topic: String? = nil,
        partition: Int32? = nil, offset: Int64? = nil
    ) {
        self.init(
            operation: operation,
            code: String(cString: rd_kafka_err2name(err)),
            reason: String(cString: rd_kafka_err2str(err)),
            topic: topic, partition: partition, offset: offset,
            isRetriable: Self.retriableCodes.contains(err)
        )
    }

    /// Takes ownership of `error` and destroys it.
    init(operation: String, consuming error: OpaquePointer, topic: String? = nil) {
        defer { rd_kafka_error_destroy(error) }
        self.init(
            operation: operation,
            code: String(cString: rd_kafka_error_name(error)),
            reason: String(cString: rd_kafka_error_string(error)),
            topic: topic,
            isRetriable: rd_kafka_error_is_retriable(error) != 0
        )
    }

    static func configuration(_ message: String) -> KafkaError {
        KafkaError(operation: "configure client", code: "_INVALID_ARG", reason: message, isRetriable: false)
    }

    private static let retriableCodes: Set<rd_kafka_resp_err_t> = [
        RD_KAFKA_RESP_ERR__TRANSPORT, RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN, RD_KAFKA_RESP_ERR__TIMED_OUT,
        RD_KAFKA_RESP_ERR__MSG_TIMED_OUT, RD_KAFKA_RESP_ERR__QUEUE_FULL, RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT,
        RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE, RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION,
        RD_KAFKA_RESP_ERR_NETWORK_EXCEPTION, RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS,
        RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE, RD_KAFKA_RESP_ERR_NOT_COORDINATOR,
        RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS, RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS,
        RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART, RD_KAFKA_RESP_ERR__WAIT_COORD,
    ]
}

/// Text from a NUL-terminated error buffer filled in by librdkafka.
func decodeCString(_ buffer: [CChar]) -> String {
    String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
