import CRDKafka
import Logging
import PaystreamMessageFormat

/// Reading small topics (e.g. state) whole, without group membership.
extension KafkaConsumer {
    /// `readToEnd` with a short-lived consumer, on its own queue.
    public static func readToEnd(
        _ topics: [String], configuration: KafkaConsumerConfiguration, logger: Logger, timeout: Duration
    ) async throws -> [KafkaConsumedMessage] {
        let consumer = try KafkaConsumer(configuration: configuration, logger: logger)
        return try await consumer.run { consumer in
            defer { try? consumer.close() }
            return try consumer.readToEnd(topics, timeout: timeout)
        }
    }

    /// Every message of `topics` from the beginning to the end they had when called, read
    /// without group membership. For small topics (e.g. state), not for data.
    public func readToEnd(_ topics: [String], timeout: Duration) throws -> [KafkaConsumedMessage] {
        let counts = try partitionCounts(topics, timeout: timeout)
        let partitions = counts.flatMap { t, n in (0..<n).map { KafkaTopicPartition(topic: t, partition: Int32($0)) } }
        let ends = try endOffsets(partitions, timeout: timeout).filter { $0.value > 0 }
        return try read(from: ends.mapValues { _ in KafkaOffset.beginning }, to: ends, timeout: timeout)
    }

    /// Every message from `starts` up to `ends` (excluded), read without group membership.
    /// Done when the consumer's position reaches each end: with `read_committed` and a
    /// transaction still open before an end, that waits until the transaction is over.
    public func read(
        from starts: [KafkaTopicPartition: KafkaOffset], to ends: [KafkaTopicPartition: Int64], timeout: Duration
    ) throws -> [KafkaConsumedMessage] {
        var remaining = Set(ends.compactMap { tp, end -> KafkaTopicPartition? in
            switch starts[tp] {
            case nil: nil
            case .exact(let start)?: start < end ? tp : nil
            // Where a logical start lies is known once reading began: read until the position says.
            case .beginning?, .end?: tp
            }
        })
        guard !remaining.isEmpty else { return [] }
        try assign(starts.filter { remaining.contains($0.key) })
        defer { try? assign([:]) }
        var messages: [KafkaConsumedMessage] = []
        let deadline = ContinuousClock.now + timeout
        while !remaining.isEmpty {
            guard ContinuousClock.now < deadline else {
                let stuck = remaining.sorted().map(\.description).joined(separator: ", ")
                throw KafkaError(operation: "read to the end of \(stuck) (an open transaction may hold it back)", code: RD_KAFKA_RESP_ERR__TIMED_OUT)
            }
            for m in try poll(maxMessages: 10_000, timeout: .milliseconds(100)) {
                guard let end = ends[m.topicPartition], m.offset < end else { continue }
                messages.append(m)
            }
            // Positions, not message offsets: the last offset may be a transaction marker.
            for (tp, position) in try positions(Array(remaining)) where position >= ends[tp]! {
                remaining.remove(tp)
            }
        }
        return messages
    }
}
