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
            topic: topic, partition: partition, offset: offset
        )
    }

    /// Takes ownership of `error` and destroys it.
    init(operation: String, consuming error: OpaquePointer, topic: String? = nil) {
        defer { rd_kafka_error_destroy(error) }
        self.init(
            operation: operation,
            code: String(cString: rd_kafka_error_name(error)),
            reason: String(cString: rd_kafka_error_string(error)),
            topic: topic
        )
    }

    static func configuration(_ message: String) -> KafkaError {
        KafkaError(operation: "configure client", code: "_INVALID_ARG", reason: message)
    }
}

/// Text from a NUL-terminated error buffer filled in by librdkafka.
func decodeCString(_ buffer: [CChar]) -> String {
    String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
