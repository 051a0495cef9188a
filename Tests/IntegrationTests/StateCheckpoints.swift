import Foundation
import PaystreamKafka
import TestSupport

/// A unit's newest checkpoint on the state topic, as `paystream-status` shows it: what tests
/// read to learn how far a fetcher got, instead of reading its log.
struct StateCheckpoint: Decodable, Equatable {
    var round: Int
    var run: Int
    var status: String
    var published: Int?
    var error: String?
}

/// The newest checkpoint of every unit on `stateTopic` (claims and other values left out).
func stateCheckpoints(_ stateTopic: String) async throws -> [String: StateCheckpoint] {
    try await newestStateValues(stateTopic).compactMapValues { try? JSONDecoder().decode(StateCheckpoint.self, from: Data($0)) }
}

/// The newest value of every key on `stateTopic` (units' checkpoints and claims); a
/// tombstone reads as empty.
func newestStateValues(_ stateTopic: String) async throws -> [String: [UInt8]] {
    var values: [String: [UInt8]] = [:]
    for m in try await stateMessages(stateTopic) { values[String(decoding: m.key ?? [], as: UTF8.self)] = m.value ?? [] }
    return values
}

/// Every message on `stateTopic`, in offset order: a key lives on one partition, so this is
/// each key's order.
func stateMessages(_ stateTopic: String) async throws -> [KafkaConsumedMessage] {
    try await KafkaPartitionReader.readToEnd(
        [stateTopic], configuration: try TestBroker.consumer(group: uniqueName("state")), logger: KafkaFixtures.logger, timeout: .seconds(30)
    ).sorted { $0.offset < $1.offset }
}
