import Foundation
import Logging
import PaystreamKafka
import Synchronization

/// Follows the state topic as a `read_committed` reader and keeps the newest checkpoint of
/// every unit and resource, for all of this fetcher's units. It never joins a group: it
/// assigns the topic's one partition to itself and reads it from the beginning.
final class StateTopicReader: Sendable {
    private let consumer: KafkaConsumer
    private let configuration: KafkaConsumerConfiguration
    private let partition: KafkaTopicPartition
    private let logger: Logger
    private let state = Mutex<(latest: [String: UnitCheckpoint], position: Int64)>(([:], 0))

    /// Keys of ownership claims (`UnitWorker`), not checkpoints.
    static let claimSuffix = "@claim"

    init(topic: String, kafka: KafkaClientConfiguration, logger: Logger) throws {
        var configuration = KafkaConsumerConfiguration(client: kafka, groupID: "paystream-fetcher-state-reader")
        configuration.maximumFetchWait = .milliseconds(20)
        self.configuration = configuration
        consumer = try KafkaConsumer(configuration: configuration, logger: logger)
        partition = KafkaTopicPartition(topic: topic, partition: 0)
        self.logger = logger
    }

    /// The newest checkpoint of every key read so far.
    var latest: [String: UnitCheckpoint] { state.withLock { $0.latest } }

    func checkpoint(_ key: String) -> UnitCheckpoint? { state.withLock { $0.latest[key] } }

    /// Reads until cancelled.
    func run() async throws {
        let partition = self.partition
        try await consumer.run { try $0.assign([partition: KafkaOffset.beginning]) }
        while !Task.isCancelled {
            let (messages, position) = try await consumer.run { consumer in
                (try consumer.poll(maxMessages: 1000, timeout: .milliseconds(50)), try consumer.positions([partition])[partition])
            }
            apply(messages, position: position)
        }
        _ = try? await consumer.run { try $0.close() }
    }

    /// Returns once everything up to and including `offset` was read: after a message
    /// this fetcher wrote there, every checkpoint committed before it is known.
    func waitUntilRead(past offset: Int64, timeout: Duration = .seconds(90)) async throws {
        let deadline = ContinuousClock.now + timeout
        while state.withLock({ $0.position <= offset }) {
            guard ContinuousClock.now < deadline else {
                throw StateTopicError(reason: "the state topic could not be read up to offset \(offset) within \(timeout) (an open transaction of another fetcher may hold it back)")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Returns once everything committed to the topic before the call was read. The end is
    /// asked with a new consumer, whose answer cannot be one cached before the call.
    func catchUp() async throws {
        let probe = try KafkaConsumer(configuration: configuration, logger: logger)
        let partition = self.partition
        let end = try await probe.run { probe in
            defer { try? probe.close() }
            return try probe.endOffsets([partition], timeout: .seconds(30))[partition] ?? 0
        }
        if end > 0 { try await waitUntilRead(past: end - 1) }
    }

    private func apply(_ messages: [KafkaConsumedMessage], position: Int64?) {
        var decoded: [(String, UnitCheckpoint?)] = []
        for m in messages {
            guard let key = m.key.map({ String(decoding: $0, as: UTF8.self) }), !key.hasSuffix(Self.claimSuffix) else { continue }
            guard let value = m.value else {
                decoded.append((key, nil))
                continue
            }
            do {
                decoded.append((key, try JSONDecoder().decode(UnitCheckpoint.self, from: Data(value))))
            } catch {
                logger.warning("ignoring an unreadable checkpoint for \(key) at \(m.topic) offset \(m.offset): \(error)")
            }
        }
        state.withLock { s in
            for (key, checkpoint) in decoded { s.latest[key] = checkpoint }
            if let position { s.position = max(s.position, position) }
        }
    }
}

struct StateTopicError: Error, CustomStringConvertible {
    var reason: String
    var description: String { reason }
}
