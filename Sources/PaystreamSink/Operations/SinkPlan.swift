import PaystreamKafka
import PaystreamStore

/// What a sink with this configuration would do, for `--check`: the store, the group, and
/// per topic its table, primary key and cursor column. Built from the configuration alone:
/// neither Kafka nor the store file is touched.
public struct SinkPlan {
    let configuration: SinkConfiguration
    let configPath: String
    /// librdkafka properties as they may be shown (credentials already hidden).
    let kafkaProperties: [String: String]

    public init(configuration: SinkConfiguration, configPath: String, kafkaProperties: [String: String]) {
        self.configuration = configuration
        self.configPath = configPath
        self.kafkaProperties = kafkaProperties
    }

    public func text() throws -> String {
        let tables = try configuration.tablesByTopic().sorted { $0.key < $1.key }
        let brokers = configuration.kafka.bootstrapServers.isEmpty
            ? "(no --brokers given)" : configuration.kafka.bootstrapServers.joined(separator: ",") + " (not contacted)"
        var lines = [
            "paystream-sink plan for \(configPath): \(tables.count) topic(s) into \(configuration.databasePath)",
            "  kafka        \(brokers), group \(configuration.groupID), waits up to \(configuration.kafkaTimeout) per request"
                + (kafkaProperties.isEmpty ? "" : "; " + kafkaProperties.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")),
            "  batches      up to \(configuration.batchMaximumMessages) messages, \(configuration.batchMaximumBytes / 1_048_576) MB or \(configuration.batchMaximumTime) per SQLite transaction",
            "  tombstones   " + (configuration.deleteMode == .soft ? "mark the row (_paystream_deleted_at)" : "delete the row"),
            "  dead letters \(configuration.deadLetterTopic)",
            "  stop         " + (configuration.stopsWhenCaughtUp ? "once caught up with the ends seen at start, or " : "")
                + "on SIGTERM/SIGINT, within \(configuration.stopTimeout)",
            "",
        ]
        let rows = [("topic", "table", "primary key", "cursor column")] + tables.map { topic, spec in
            (topic, spec.name, spec.primaryKey.joined(separator: ", "), spec.cursorField)
        }
        let widths = [rows.map(\.0.count).max() ?? 0, rows.map(\.1.count).max() ?? 0, rows.map(\.2.count).max() ?? 0]
        for row in rows {
            lines.append([row.0.padded(widths[0]), row.1.padded(widths[1]), row.2.padded(widths[2]), row.3].joined(separator: "  "))
        }
        return lines.joined(separator: "\n")
    }
}

extension String {
    fileprivate func padded(_ width: Int) -> String { self + String(repeating: " ", count: max(0, width - count)) }
}
