import Foundation
import Logging
import PaystreamKafka

/// Where a resource's incremental sync got to: the end of the last window whose every
/// record the broker acknowledged.
public struct CursorState: Codable, Sendable, Equatable {
    public var cursor: String
    public var records: Int
    public var completedAt: String

    enum CodingKeys: String, CodingKey {
        case cursor, records
        case completedAt = "completed_at"
    }
}

/// Cursors live in a compacted Kafka topic keyed by resource name, not on local disk, so
/// any fetcher instance resumes where another stopped and nothing is lost with a machine.
struct CursorStateStore: Sendable {
    let topic: String
    let kafka: KafkaClientConfiguration
    let logger: Logger

    var newTopic: KafkaNewTopic {
        KafkaNewTopic(name: topic, partitions: 1, configs: ["cleanup.policy": "compact"])
    }

    /// The latest state of every resource.
    func load() async throws -> [String: CursorState] {
        let configuration = KafkaConsumerConfiguration(client: kafka, groupID: "paystream-fetcher-state-reader")
        let messages = try await KafkaConsumer.readToEnd([topic], configuration: configuration, logger: logger, timeout: .seconds(30))
        var states: [String: CursorState] = [:]
        for message in messages {
            guard let key = message.key.map({ String(decoding: $0, as: UTF8.self) }) else { continue }
            guard let value = message.value else {
                states[key] = nil
                continue
            }
            do {
                states[key] = try JSONDecoder().decode(CursorState.self, from: Data(value))
            } catch {
                logger.warning("ignoring an unreadable cursor state for \(key) at \(topic) offset \(message.offset): \(error)")
            }
        }
        return states
    }

    /// Saves and waits until the broker acknowledged it.
    func save(_ state: CursorState, for resource: String, producer: KafkaProducer) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let value = try encoder.encode(state)
        _ = try await producer.sendAndWait(topic: topic, key: Array(resource.utf8), value: Array(value))
    }
}
