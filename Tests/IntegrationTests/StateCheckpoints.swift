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
    let messages = try await KafkaPartitionReader.readToEnd(
        [stateTopic], configuration: try TestBroker.consumer(group: uniqueName("checkpoints")), logger: KafkaFixtures.logger, timeout: .seconds(30)
    )
    var checkpoints: [String: StateCheckpoint] = [:]
    for m in messages.sorted(by: { $0.offset < $1.offset }) {
        guard let value = m.value, let checkpoint = try? JSONDecoder().decode(StateCheckpoint.self, from: Data(value)) else { continue }
        checkpoints[String(decoding: m.key ?? [], as: UTF8.self)] = checkpoint
    }
    return checkpoints
}
