import Foundation
import Logging
import PaystreamConfig
import PaystreamKafka
import ServiceLifecycle
import UnixSignals

/// What every Paystream executable does the same way: log to standard error at a chosen
/// level, run its services with graceful shutdown on SIGTERM/SIGINT, and turn a failure
/// into one clear line and a non-zero exit status.
public enum CommandRuntime {
    public static func bootstrapLogging(level: String) {
        let parsed = Logger.Level(rawValue: level) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = parsed
            return handler
        }
    }

    /// Runs `service` until it returns (then the group shuts down) or a signal arrives.
    /// Returns false when it failed, after printing why.
    public static func run(_ service: some Service, name: String, shutdownWithin: Duration, logger: Logger) async -> Bool {
        var configuration = ServiceGroupConfiguration(
            services: [.init(service: service, successTerminationBehavior: .gracefullyShutdownGroup)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
        configuration.maximumGracefulShutdownDuration = shutdownWithin
        do {
            try await ServiceGroup(configuration: configuration).run()
            return true
        } catch {
            fail(name, error)
            return false
        }
    }

    /// The pipeline config and the Kafka client settings every executable starts from.
    public static func load(
        config: String, brokers: String, kafkaProperties: [String], clientID: String, unsetVariables: ConfigLoader.UnsetVariables = .fail
    ) throws -> (PipelineConfig, KafkaClientConfiguration) {
        let pipeline = try ConfigLoader.load(path: config, unsetVariables: unsetVariables)
        let kafka = KafkaClientConfiguration(
            bootstrapServers: brokers.split(separator: ",").map(String.init),
            clientID: clientID, properties: try KafkaPropertyArguments.parse(kafkaProperties)
        )
        return (pipeline, kafka)
    }

    public static func fail(_ name: String, _ error: any Error) {
        FileHandle.standardError.write(Data("\(name): \(error)\n".utf8))
    }
}
