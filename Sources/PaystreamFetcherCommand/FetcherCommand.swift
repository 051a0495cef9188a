import ArgumentParser
import Foundation
import Logging
import PaystreamConfig
import PaystreamCommandSupport
import PaystreamFetcher
import PaystreamKafka

@main
struct FetcherCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "paystream-fetcher",
        abstract: "Pages a REST API (dlt rest_api_source config) and publishes every record to Kafka."
    )

    @Option(help: "Pipeline config, YAML or JSON, in the shape of dlt's rest_api_source dict.") var config: String
    @Option(help: "Kafka bootstrap servers, host:port[,host:port...].") var brokers: String
    @Flag(help: "Sync once and exit (status 1 if any resource failed).") var once = false
    @Option(help: "Seconds between syncs when not --once.") var interval = 60.0
    @Option(name: .customLong("topic-prefix"), help: "Topics are <prefix>.<resource>.") var topicPrefix = "paystream"
    @Option(help: "Partitions for topics the fetcher creates.") var partitions = 8
    @Option(name: .customLong("kafka-property"), help: "Any librdkafka property, name=value (repeatable), e.g. security.protocol=SASL_SSL.")
    var kafkaProperties: [String] = []
    @Option(name: .customLong("resources"), help: "Comma-separated resources to sync (default: every selected one).") var resources: String?
    @Option(help: "Share the work with every fetcher started with this group name (a Kafka consumer group); implies --exactly-once.")
    var group: String?
    @Option(name: .customLong("session-timeout"), help: "Seconds after which a silent group member's units move to the others.")
    var sessionTimeout = 10.0
    @Flag(name: .customLong("exactly-once"), help: "Publish in Kafka transactions with each unit's checkpoint (always on with --group).")
    var exactlyOnce = false
    @Option(name: .customLong("checkpoint-interval"), help: "Seconds between a unit's checkpoints (commits): at most what a new owner reads again.")
    var checkpointInterval = 1.0
    @Option(name: .customLong("page-concurrency"), help: "Pages of one resource requested at once (offset pagination).") var pageConcurrency = 4
    @Option(name: .customLong("progress-interval"), help: "Seconds between progress log lines.") var progressInterval = 10.0
    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.") var logLevel = "info"

    func run() async throws {
        CommandRuntime.bootstrapLogging(level: logLevel)
        let logger = Logger(label: "paystream.fetcher")
        var configuration: FetcherConfiguration
        do {
            let (pipeline, kafka) = try CommandRuntime.load(config: config, brokers: brokers, kafkaProperties: kafkaProperties, clientID: "paystream-fetcher")
            configuration = FetcherConfiguration(pipeline: pipeline, kafka: kafka)
        } catch {
            CommandRuntime.fail("paystream-fetcher", error)
            throw ExitCode(2)
        }
        configuration.topicPrefix = topicPrefix
        configuration.topicPartitions = partitions
        configuration.runsOnce = once
        configuration.interval = .milliseconds(Int(interval * 1000))
        configuration.progressInterval = .milliseconds(Int(progressInterval * 1000))
        configuration.pageConcurrency = max(1, pageConcurrency)
        configuration.group = group
        configuration.sessionTimeout = .milliseconds(Int(sessionTimeout * 1000))
        configuration.isExactlyOnce = exactlyOnce
        configuration.checkpointInterval = .milliseconds(Int(checkpointInterval * 1000))
        if let resources {
            let names = Set(resources.split(separator: ",").map(String.init))
            let unknown = names.subtracting(configuration.pipeline.selectedResources.map(\.name))
            guard unknown.isEmpty else {
                throw ValidationError("unknown resource(s) in --resources: \(unknown.sorted().joined(separator: ", "))")
            }
            configuration.resourceNames = names
        }

        let service = FetcherService(configuration: configuration, logger: logger)
        guard await CommandRuntime.run(service, name: "paystream-fetcher", shutdownWithin: .seconds(60), logger: logger) else {
            throw ExitCode(1)
        }
    }
}
