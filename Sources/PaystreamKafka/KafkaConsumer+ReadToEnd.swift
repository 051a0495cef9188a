import CRDKafka
import Logging
import PaystreamTopics

/// Reading small topics (e.g. state) whole, without group membership.
extension KafkaConsumer {
    /// `readToEnd` with a short-lived consumer, off Swift's cooperative pool.
    public static func readToEnd(
        _ topics: [String], configuration: KafkaConsumerConfiguration, logger: Logger, timeout: Duration
    ) async throws -> [KafkaConsumedMessage] {
        try await runOffCooperativePool {
            let consumer = try KafkaConsumer(configuration: configuration, logger: logger)
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
        guard !ends.isEmpty else { return [] }
        try assign(ends.mapValues { _ in KafkaOffset.beginning })
        defer { try? assign([:]) }
        var messages: [KafkaConsumedMessage] = []
        var remaining = Set(ends.keys)
        let deadline = ContinuousClock.now + timeout
        while !remaining.isEmpty {
            guard ContinuousClock.now < deadline else {
                throw KafkaError(operation: "read \(topics.joined(separator: ", ")) to its end", code: RD_KAFKA_RESP_ERR__TIMED_OUT)
            }
            for m in try poll(maxMessages: 10_000, timeout: .milliseconds(100)) {
                guard let end = ends[m.topicPartition], m.offset < end else { continue }
                messages.append(m)
            }
            // Positions, not message offsets: the last offset may be a transaction marker.
            for (tp, position) in try positions(Array(remaining)) where position >= ends[tp]! { remaining.remove(tp) }
        }
        return messages
    }
}
