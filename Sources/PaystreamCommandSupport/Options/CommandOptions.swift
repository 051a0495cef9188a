import ArgumentParser
import Foundation
import Logging
import PaystreamKafka
import PaystreamOperations

// The options every Paystream command shares, each group declared once and included with
// `@OptionGroup`, so the commands spell and document them the same way.

/// `--log-level`, `--log-format`.
public struct LoggingOptions: ParsableArguments {
    @Option(name: .customLong("log-level"), help: "Least severe level logged (default: info; paystream-status: error).")
    public var level: LogLevel?
    @Option(name: .customLong("log-format"), help: "text for people, json for log collectors (one object per line, metadata as fields).")
    public var format: LogFormat = .text

    public init() {}

    /// Sets up swift-log for the process: standard error, this level and format.
    public func bootstrap(defaultLevel: LogLevel = .info) {
        CommandRuntime.bootstrapLogging(level: (level ?? defaultLevel).loggerLevel, format: format)
    }
}

public enum LogLevel: String, CaseIterable, ExpressibleByArgument, Sendable {
    case trace, debug, info, notice, warning, error, critical

    public var loggerLevel: Logger.Level { Logger.Level(rawValue: rawValue)! }
}

public enum LogFormat: String, CaseIterable, ExpressibleByArgument, Sendable {
    case text, json
}

/// `--brokers`, `--kafka-property`, `--kafka-properties-file`.
public struct KafkaOptions: ParsableArguments {
    @Option(help: "Kafka bootstrap servers, host:port[,host:port...].") public var brokers: String?
    @Option(name: .customLong("kafka-property"),
            help: "Any librdkafka property, name=value (repeatable). ${NAME} in a value is read from the environment: 'sasl.password=${KAFKA_PASSWORD}'.")
    public var properties: [String] = []
    @Option(name: .customLong("kafka-properties-file"),
            help: "librdkafka properties, one name=value per line, ${NAME} substituted (--kafka-property wins). Keeps secrets off the command line.")
    public var propertiesFile: String?

    public init() {}

    /// The client settings; `requiringBrokers: false` (config checks) allows no `--brokers`.
    public func client(clientID: String, requiringBrokers: Bool = true) throws -> (KafkaClientConfiguration, KafkaPropertySources) {
        let servers = (brokers ?? "").split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if requiringBrokers && servers.isEmpty {
            throw UsageError("--brokers is required: the Kafka bootstrap servers, host:port[,host:port...]")
        }
        let sources = try KafkaPropertySources(file: propertiesFile, arguments: properties)
        return (KafkaClientConfiguration(bootstrapServers: servers, clientID: clientID, properties: sources.properties), sources)
    }
}

/// `--http-address`.
public struct OperationsOptions: ParsableArguments {
    @Option(name: .customLong("http-address"),
            help: "Serve /metrics, /livez and /readyz on HOST:PORT (off unless given; :PORT listens on every interface, port 0 picks a free one).",
            transform: { text in
                guard let address = HTTPAddress(parsing: text) else {
                    throw ValidationError("--http-address expects HOST:PORT, [IPv6]:PORT or :PORT, got '\(text)'")
                }
                return address
            })
    public var httpAddress: HTTPAddress?

    public init() {}
}
