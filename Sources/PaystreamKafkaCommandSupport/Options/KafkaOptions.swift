import ArgumentParser
import Foundation
import PaystreamCommandSupport
import PaystreamKafka

/// `--brokers`, `--kafka-property`, `--kafka-properties-file`, `--broker-timeout`.
public struct KafkaOptions: ParsableArguments {
    @Option(help: "Kafka bootstrap servers, host:port[,host:port...].") public var brokers: String?
    @Option(name: .customLong("kafka-property"),
            help: "Any librdkafka property, name=value (repeatable). ${NAME} in a value is read from the environment: 'sasl.password=${KAFKA_PASSWORD}'.")
    public var properties: [String] = []
    @Option(name: .customLong("kafka-properties-file"),
            help: "librdkafka properties, one name=value per line, ${NAME} substituted (--kafka-property wins). Keeps secrets off the command line.")
    public var propertiesFile: String?
    // Up to an hour: librdkafka takes its timeouts as 32-bit milliseconds.
    @Option(name: .customLong("broker-timeout"),
            help: "Seconds any one wait on the Kafka cluster may take (a delivery, a transaction, a metadata request) before it counts as failed: a --once run then fails, a daemon tries again.",
            range: NumericRange(0.1, 3600))
    public var brokerTimeout = 30.0

    public init() {}

    /// The client settings; `requiringBrokers: false` (config checks) allows no `--brokers`.
    public func client(clientID: String, requiringBrokers: Bool = true) throws -> (KafkaClientConfiguration, KafkaPropertySources) {
        let servers = (brokers ?? "").split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if requiringBrokers && servers.isEmpty {
            throw UsageError("--brokers is required: the Kafka bootstrap servers, host:port[,host:port...]")
        }
        let sources = try KafkaPropertySources(file: propertiesFile, arguments: properties)
        var client = KafkaClientConfiguration(bootstrapServers: servers, clientID: clientID, properties: sources.properties)
        client.brokerTimeout = .milliseconds(Int64(brokerTimeout * 1000))
        return (client, sources)
    }
}
