import ArgumentParser
import Foundation
import Logging
import PaystreamCommandSupport
import PaystreamConfig
import PaystreamKafkaCommandSupport
import PaystreamStatus

@main
struct StatusCommand: PaystreamCommand {
    static let configuration = CommandConfiguration(
        commandName: "paystream-status",
        abstract: "Where a pipeline stands: per resource its cursor, last completed sync and messages; with --db, the store's offsets and lag per partition.",
        version: PaystreamVersion.withLibrdkafka
    )

    @Option(help: "Pipeline config (the fetcher's): resources and their topics. The API's ${...} variables need not be set.") var config: String
    @OptionGroup var kafka: KafkaOptions
    @Option(help: "A sink's SQLite store: show its offsets and lag (opened read-only).") var db: String?
    @OptionGroup var topics: TopicOptions
    @Flag(help: "Print JSON for scripts instead of a table.") var json = false
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        // librdkafka's own complaints (e.g. a broker that is down) would drown the answer.
        logging.bootstrap(defaultLevel: .error)
        let logger = Logger(label: "paystream.status")
        let collector: StatusCollector
        do {
            // Like the sink, status never calls the API: an unset ${NAME} is left as written.
            let (pipeline, kafka, _) = try CommandRuntime.load(config: config, kafka: self.kafka, clientID: "paystream-status", unsetVariables: .keep)
            collector = StatusCollector(pipeline: pipeline, kafka: kafka, topicPrefix: topics.prefix, databasePath: db, logger: logger)
        } catch {
            CommandRuntime.fail("paystream-status", error)
            throw ExitCode(ExitStatus.usage)
        }
        let status: PipelineStatus
        do {
            status = try await CommandRuntime.onThread { try collector.collect() }
        } catch {
            CommandRuntime.fail("paystream-status", error)
            throw ExitCode(ExitStatus.failure)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.keyEncodingStrategy = .convertToSnakeCase
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(status), as: UTF8.self))
        } else {
            print(StatusTable.render(status))
        }
    }
}
