import Logging
import PaystreamCommandSupport
import PaystreamConfig
import PaystreamKafka
import ServiceLifecycle

extension CommandRuntime {
    /// The pipeline config and the Kafka client settings the Kafka commands start from.
    public static func load(
        config: String, kafka options: KafkaOptions, clientID: String, requiringBrokers: Bool = true,
        unsetVariables: ConfigLoader.UnsetVariables = .fail
    ) throws -> (PipelineConfig, KafkaClientConfiguration, KafkaPropertySources) {
        let pipeline = try ConfigLoader.load(path: config, unsetVariables: unsetVariables)
        let (kafka, sources) = try options.client(clientID: clientID, requiringBrokers: requiringBrokers)
        return (pipeline, kafka, sources)
    }

    /// `run` with the operations listener beside the service when one is configured.
    public static func run(
        _ service: some Service, name: String, shutdownWithin: Duration, operations: Operations, logger: Logger
    ) async -> Int32 {
        await run(service, name: name, shutdownWithin: shutdownWithin, alongside: operations.services, logger: logger)
    }
}
