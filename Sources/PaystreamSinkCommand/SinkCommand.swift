import ArgumentParser
import Foundation
import Logging
import PaystreamConfig
import PaystreamCommandSupport
import PaystreamKafka
import PaystreamSink

@main
struct SinkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "paystream-sink",
        abstract: "Consumes the resource topics and merges every record by primary key into SQLite, exactly once."
    )

    @Option(help: "Pipeline config (the fetcher's): resources, primary keys, table names. The API's ${...} variables need not be set.") var config: String
    @Option(help: "Kafka bootstrap servers, host:port[,host:port...].") var brokers: String
    @Option(help: "SQLite database file (created if missing).") var db: String
    @Option(help: "Group the sink commits its offsets under, for lag tools. The sink reads every partition itself; the group does not share work.") var group = "paystream-sink"
    @Flag(name: .customLong("until-caught-up"), help: "Exit 0 once everything up to the high-water marks seen at start is written.")
    var untilCaughtUp = false
    @Option(name: .customLong("topic-prefix"), help: "Topics are <prefix>.<resource>.") var topicPrefix = "paystream"
    @Option(name: .customLong("kafka-property"), help: "Any librdkafka property, name=value (repeatable).")
    var kafkaProperties: [String] = []
    @Option(name: .customLong("delete-mode"), help: "What a tombstone does: hard (delete the row) or soft (set _paystream_deleted_at).")
    var deleteMode = "hard"
    @Flag(name: .customLong("reset-offsets"), help: "Forget the store's offsets and read every partition from its beginning (re-sync).")
    var resetOffsets = false
    @Option(name: .customLong("batch-size"), help: "Most messages written in one SQLite transaction.") var batchSize = 20_000
    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.") var logLevel = "info"

    func run() async throws {
        CommandRuntime.bootstrapLogging(level: logLevel)
        let logger = Logger(label: "paystream.sink")
        var configuration: SinkConfiguration
        do {
            let (pipeline, kafka) = try CommandRuntime.load(
                config: config, brokers: brokers, kafkaProperties: kafkaProperties, clientID: "paystream-sink", unsetVariables: .keep
            )
            configuration = SinkConfiguration(pipeline: pipeline, kafka: kafka, databasePath: db)
            _ = try configuration.tablesByTopic()
        } catch {
            CommandRuntime.fail("paystream-sink", error)
            throw ExitCode(2)
        }
        configuration.groupID = group
        configuration.topicPrefix = topicPrefix
        configuration.stopsWhenCaughtUp = untilCaughtUp
        configuration.batchMaximumMessages = max(1, batchSize)
        guard ["hard", "soft"].contains(deleteMode) else { throw ValidationError("--delete-mode is hard or soft") }
        configuration.softDelete = deleteMode == "soft"
        configuration.resetsStoredOffsets = resetOffsets

        let service = SinkService(configuration: configuration, logger: logger)
        guard await CommandRuntime.run(service, name: "paystream-sink", shutdownWithin: .seconds(30), logger: logger) else {
            throw ExitCode(1)
        }
    }
}
