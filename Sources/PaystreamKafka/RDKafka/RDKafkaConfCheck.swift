import CRDKafka

enum RDKafkaConfCheck {
    /// Sets every property on a throw-away librdkafka configuration, which checks names and
    /// values without creating a client (nothing is contacted). Values are never echoed.
    static func validate(_ properties: [String: String]) throws {
        guard let conf = rd_kafka_conf_new() else { throw KafkaError.configuration("rd_kafka_conf_new failed") }
        defer { rd_kafka_conf_destroy(conf) }
        var errorText = [CChar](repeating: 0, count: 512)
        for (name, value) in properties.sorted(by: { $0.key < $1.key }) {
            if rd_kafka_conf_set(conf, name, value, &errorText, errorText.count) != RD_KAFKA_CONF_OK {
                throw KafkaError.configuration("property \(name): \(decodeCString(errorText))")
            }
        }
    }
}
