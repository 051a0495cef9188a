import ArgumentParser
import Foundation
import Logging
import PaystreamConfig
import PaystreamCommandSupport
import PaystreamKafka
import PaystreamKafkaCommandSupport
import PaystreamOperations
import PaystreamSink

@main
struct SinkCommand: PaystreamCommand {
    static let configuration = CommandConfiguration(
        commandName: "paystream-sink",
        abstract: "Consumes the resource topics and merges every record by primary key into SQLite, exactly once.",
        version: PaystreamVersion.withLibrdkafka
    )

    @Option(help: "Pipeline config (the fetcher's): resources, primary keys, table names. The API's ${...} variables need not be set.") var config: String
    @OptionGroup var kafka: KafkaOptions
    @Option(help: "SQLite database file (created if missing).") var db: String
    @Flag(help: "Check the config, the environment variables and Kafka properties it needs, print the plan and exit (0 valid, 2 not); touches neither Kafka nor the store.")
    var check = false
    @Option(help: "Group the sink commits its offsets under, for lag tools. The sink reads every partition itself; the group does not share work.") var group = "paystream-sink"
    @Flag(name: .customLong("until-caught-up"), help: "Exit 0 once everything up to the high-water marks seen at start is written.")
    var untilCaughtUp = false
    @OptionGroup var topics: TopicOptions
    @Option(name: .customLong("delete-mode"), help: "What a tombstone does: hard (delete the row) or soft (set _paystream_deleted_at).")
    var deleteMode = SinkConfiguration.DeleteMode.hard
    @Flag(name: .customLong("reset-offsets"), help: "Forget the store's offsets and read every partition from its beginning (re-sync).")
    var resetOffsets = false
    @Option(name: .customLong("batch-size"), help: "Most messages written in one SQLite transaction.", range: NumericRange(1, 1_000_000))
    var batchSize = 20_000
    @OptionGroup var operations: OperationsOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        logging.bootstrap()
        let logger = Logger(label: "paystream.sink")
        var configuration: SinkConfiguration
        let sources: KafkaPropertySources
        do {
            let (pipeline, kafka, propertySources) = try CommandRuntime.load(
                config: config, kafka: self.kafka, clientID: "paystream-sink", requiringBrokers: !check, unsetVariables: .keep
            )
            sources = propertySources
            configuration = SinkConfiguration(pipeline: pipeline, kafka: kafka, databasePath: db)
            configuration.groupID = group
            configuration.topicPrefix = topics.prefix
            configuration.stopsWhenCaughtUp = untilCaughtUp
            configuration.batchMaximumMessages = batchSize
            configuration.deleteMode = deleteMode
            configuration.resetsStoredOffsets = resetOffsets
            _ = try configuration.tablesByTopic()
            if check {
                try kafka.validate(requiringBrokers: false)
            } else {
                // A store kept with other keys or cursors is refused before anything starts.
                try configuration.checkStoreSchema()
            }
        } catch {
            CommandRuntime.fail("paystream-sink", error)
            throw ExitCode(ExitStatus.usage)
        }
        if check {
            print(try SinkPlan(configuration: configuration, configPath: config, kafkaProperties: sources.displayedProperties).text())
            print("\nconfig OK")
            return
        }

        let operations = Operations(options: operations, kafka: configuration.kafka, logger: logger)
        let service = SinkService(configuration: configuration, logger: logger)
        operations.readiness.add("store") { service.health.problem }
        let status = await CommandRuntime.run(service, name: "paystream-sink", shutdownWithin: configuration.gracefulShutdownLimit, operations: operations, logger: logger)
        if status != ExitStatus.ok { throw ExitCode(status) }
    }
}

extension SinkConfiguration.DeleteMode: ExpressibleByArgument {}
