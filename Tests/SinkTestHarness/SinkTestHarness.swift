import ArgumentParser
import Foundation
import Logging
import PaystreamCommandSupport
import PaystreamConfig
import PaystreamKafkaCommandSupport
import PaystreamSink

/// The sink with the test hooks the shipped `paystream-sink` never has: built for the
/// tests only, never part of a release product.
@main
struct SinkTestHarness: AsyncParsableCommand {
    @Option var config: String
    @OptionGroup var kafka: KafkaOptions
    @Option var db: String
    @Option(name: .customLong("topic-prefix")) var topicPrefix: String
    @Option var group: String
    @Option(name: .customLong("batch-size")) var batchSize = 20_000
    @Flag(name: .customLong("until-caught-up")) var untilCaughtUp = false
    @Option(name: .customLong("crash-after-batches"), help: "SIGKILL after this many batches are in SQLite, before Kafka hears of them.")
    var crashAfterBatches: Int?
    @Flag(name: .customLong("ignore-topic-ids"), help: "Act as on a broker without topic ids.") var ignoreTopicIDs = false
    @Option(name: .customLong("pause-before-dead-letters"), help: "Seconds the writer waits (saying so) before it sends a batch's dead letters.")
    var pauseBeforeDeadLetters: Double?

    func run() async throws {
        CommandRuntime.bootstrapLogging(level: .info, format: .text)
        let logger = Logger(label: "paystream.sink")
        let (pipeline, kafka, _) = try CommandRuntime.load(config: config, kafka: self.kafka, clientID: "sink-test-harness", unsetVariables: .keep)
        var configuration = SinkConfiguration(pipeline: pipeline, kafka: kafka, databasePath: db)
        configuration.topicPrefix = topicPrefix
        configuration.groupID = group
        configuration.batchMaximumMessages = batchSize
        configuration.stopsWhenCaughtUp = untilCaughtUp
        configuration.testing.ignoresTopicIDs = ignoreTopicIDs
        if let pauseBeforeDeadLetters {
            configuration.testing.beforeDeadLetters = {
                logger.notice("test hook: pausing before dead letters for \(pauseBeforeDeadLetters) s")
                Thread.sleep(forTimeInterval: pauseBeforeDeadLetters)
            }
        }
        if let crashAfterBatches {
            configuration.testing.afterStoreCommit = { batches in
                if batches >= crashAfterBatches { kill(getpid(), SIGKILL) }
            }
        }
        let service = SinkService(configuration: configuration, logger: logger)
        let status = await CommandRuntime.run(service, name: "sink-test-harness", shutdownWithin: configuration.gracefulShutdownLimit, logger: logger)
        if status != 0 { throw ExitCode(status) }
    }
}
