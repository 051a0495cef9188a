import Foundation
import Logging
import PaystreamKafka
import PaystreamMessageFormat
import Synchronization

/// Follows the state topic as a `read_committed` reader and keeps the newest checkpoint of
/// every unit and resource, for all of this fetcher's units. It never joins a group: it
/// assigns the topic's partitions to itself and reads them from the beginning.
final class StateTopicReader: Sendable {
    private let configuration: KafkaConsumerConfiguration
    private let partitions: [KafkaTopicPartition]
    private let brokerTimeout: Duration
    private let logger: Logger
    private let state = Mutex<(latest: [String: UnitCheckpoint], positions: [Int32: Int64])>(([:], [:]))

    /// Keys of ownership claims (`UnitRunner`), not checkpoints.
    static let claimSuffix = "@claim"

    init(layout: StateTopicLayout, kafka: KafkaClientConfiguration, logger: Logger) throws {
        var configuration = KafkaConsumerConfiguration(client: kafka, groupID: "paystream-fetcher-state-reader")
        configuration.maximumFetchWait = .milliseconds(20)
        self.configuration = configuration
        brokerTimeout = kafka.brokerTimeout
        partitions = (0..<layout.partitions).map { KafkaTopicPartition(topic: layout.topic, partition: Int32($0)) }
        self.logger = logger
    }

    /// The newest checkpoint of every key read so far.
    var latest: [String: UnitCheckpoint] { state.withLock { $0.latest } }

    func checkpoint(_ key: String) -> UnitCheckpoint? { state.withLock { $0.latest[key] } }

    /// Reads until cancelled, with a consumer that belongs to this task.
    func run() async throws {
        let partitions = self.partitions
        let consumer = try KafkaConsumer(configuration: configuration, logger: logger)
        try await consumer.run { try $0.assign(Dictionary(uniqueKeysWithValues: partitions.map { ($0, .beginning) })) }
        while !Task.isCancelled {
            let (messages, positions) = try await consumer.run { consumer in
                (try consumer.poll(maximumMessages: 1000, timeout: .milliseconds(50)), try consumer.positions(partitions))
            }
            apply(messages, positions: positions)
        }
        _ = try? await consumer.run { try $0.close() }
    }

    /// Returns once everything in `partition` up to and including `offset` was read: after
    /// a message this fetcher wrote there, every checkpoint committed before it is known.
    /// Fails when the reader's position there does not move for the broker timeout.
    func waitUntilRead(partition: Int32, past offset: Int64) async throws {
        var position = state.withLock { $0.positions[partition] ?? 0 }
        var deadline = ContinuousClock.now + brokerTimeout
        while position <= offset {
            guard ContinuousClock.now < deadline else {
                throw StateTopicError(reason: "the state topic's partition \(partition) could not be read up to offset \(offset): stuck at \(position) for \(brokerTimeout) (an open transaction of another fetcher may hold it back, or the cluster does not answer)")
            }
            try await Task.sleep(for: .milliseconds(10))
            let now = state.withLock { $0.positions[partition] ?? 0 }
            if now != position { deadline = ContinuousClock.now + brokerTimeout }
            position = now
        }
    }

    /// Returns once everything committed to the topic before the call was read. The ends
    /// are asked with a new reader, whose answer cannot be one cached before the call.
    func catchUp() async throws {
        let probe = try KafkaPartitionReader(configuration: configuration, logger: logger)
        let partitions = self.partitions
        let ends = try await probe.run { [brokerTimeout] in try $0.endOffsets(partitions, timeout: brokerTimeout) }
        for (tp, end) in ends where end > 0 { try await waitUntilRead(partition: tp.partition, past: end - 1) }
    }

    private func apply(_ messages: [KafkaConsumedMessage], positions: [KafkaTopicPartition: Int64]) {
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
            for (key, checkpoint) in decoded {
                // A key moves to another partition only when the config's units change; its
                // checkpoints there come from later runs. In one partition, later is newer.
                if let checkpoint, let known = s.latest[key], (checkpoint.round, checkpoint.run) < (known.round, known.run) { continue }
                s.latest[key] = checkpoint
            }
            for (tp, position) in positions { s.positions[tp.partition] = max(s.positions[tp.partition] ?? 0, position) }
        }
    }
}

struct StateTopicError: Error, CustomStringConvertible {
    var reason: String
    var description: String { reason }
}
