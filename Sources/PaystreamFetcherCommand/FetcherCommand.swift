import ArgumentParser
import Foundation
import Logging
import PaystreamConfig
import PaystreamCommandSupport
import PaystreamFetcher
import PaystreamKafka
import PaystreamKafkaCommandSupport
import PaystreamOperations

@main
struct FetcherCommand: PaystreamCommand {
    static let configuration = CommandConfiguration(
        commandName: "paystream-fetcher",
        abstract: "Pages a REST API (dlt rest_api_source config) and publishes every record to Kafka.",
        version: PaystreamVersion.withLibrdkafka
    )

    @Option(help: "Pipeline config, YAML or JSON, in the shape of dlt's rest_api_source dict.") var config: String
    @OptionGroup var kafka: KafkaOptions
    @Flag(help: "Check the config, the environment variables and Kafka properties it needs, print the plan and exit (0 valid, 2 not); contacts neither Kafka nor the API.")
    var check = false
    @Flag(help: "Sync once and exit (status 1 if any resource failed).") var once = false
    @Option(help: "Seconds between syncs when not --once.", range: .seconds) var interval = 60.0
    @OptionGroup var topics: TopicOptions
    @Option(help: "Partitions for topics the fetcher creates.", range: NumericRange(1, 100_000)) var partitions = 8
    @Option(name: .customLong("resources"), help: "Comma-separated resources to sync (default: every selected one).") var resources: String?
    @Option(help: "Share the work with every fetcher started with this group name (a Kafka consumer group); implies --exactly-once.")
    var group: String?
    // librdkafka's own limit for session.timeout.ms is an hour.
    @Option(name: .customLong("session-timeout"), help: "Seconds after which a silent group member's units move to the others.", range: NumericRange(0.001, 3600))
    var sessionTimeout = 10.0
    @Flag(name: .customLong("exactly-once"), help: "Publish in Kafka transactions with each unit's checkpoint (always on with --group).")
    var exactlyOnce = false
    @Option(name: .customLong("checkpoint-interval"), help: "Seconds between a unit's checkpoints (commits): at most what a new owner reads again.", range: .seconds)
    var checkpointInterval = 1.0
    @Option(name: .customLong("page-concurrency"), help: "Pages of one resource requested at once (offset pagination).", range: NumericRange(1, 1000))
    var pageConcurrency = 4
    @Option(name: .customLong("progress-interval"), help: "Seconds between progress log lines (only when something was published).", range: .seconds)
    var progressInterval = 10.0
    @OptionGroup var operations: OperationsOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        logging.bootstrap()
        let logger = Logger(label: "paystream.fetcher")
        let configuration: FetcherConfiguration
        let sources: KafkaPropertySources
        do {
            (configuration, sources) = try makeConfiguration()
            if check { try configuration.kafka.validate(requiringBrokers: false) }
        } catch {
            CommandRuntime.fail("paystream-fetcher", error)
            throw ExitCode(ExitStatus.usage)
        }
        if check {
            print(FetcherPlan(configuration: configuration, configPath: config, kafkaProperties: sources.displayedProperties).text)
            print("\nconfig OK")
            return
        }
        let operations = Operations(options: operations, kafka: configuration.kafka, logger: logger)
        FetcherMetrics.start(resources: configuration.resources.map(\.name))
        let service = FetcherService(configuration: configuration, logger: logger)
        operations.readiness.add("publishing") { service.health.problem }
        let status = await CommandRuntime.run(service, name: "paystream-fetcher", shutdownWithin: Self.shutdownBound, operations: operations, logger: logger)
        if status != ExitStatus.ok { throw ExitCode(status) }
    }

    /// What the service group allows a graceful shutdown: the 10 s the README states from
    /// SIGTERM to exit, less a second for ending the process. A unit's hand-over commit (3 s)
    /// and abort (2 s) fit well inside it, whatever the broker does.
    static let shutdownBound = Duration.seconds(9)

    private func makeConfiguration() throws -> (FetcherConfiguration, KafkaPropertySources) {
        let (pipeline, kafka, sources) = try CommandRuntime.load(config: config, kafka: self.kafka, clientID: "paystream-fetcher", requiringBrokers: !check)
        var configuration = FetcherConfiguration(pipeline: pipeline, kafka: kafka)
        configuration.topicPrefix = topics.prefix
        configuration.topicPartitions = partitions
        configuration.runsOnce = once
        // The options' ranges (checked as they were parsed) keep these within what a Duration holds.
        configuration.interval = .seconds(interval)
        configuration.progressInterval = .seconds(progressInterval)
        configuration.pageConcurrency = pageConcurrency
        configuration.group = group
        configuration.sessionTimeout = .seconds(sessionTimeout)
        configuration.isExactlyOnce = exactlyOnce
        configuration.checkpointInterval = .seconds(checkpointInterval)
        if let resources {
            let names = Set(resources.split(separator: ",").map(String.init))
            let unknown = names.subtracting(configuration.pipeline.selectedResources.map(\.name))
            guard unknown.isEmpty else {
                throw UsageError("unknown resource(s) in --resources: \(unknown.sorted().joined(separator: ", "))")
            }
            configuration.resourceNames = names
        }
        return (configuration, sources)
    }
}
