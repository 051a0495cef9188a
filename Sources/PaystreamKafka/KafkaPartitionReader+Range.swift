import CRDKafka
import Logging
import PaystreamMessageFormat

/// Reading the messages between two offsets: small topics (e.g. state) whole, a range of a
/// data topic, or the message at an offset.
extension KafkaPartitionReader {
    /// `readToEnd` with a short-lived reader, on its own queue.
    public static func readToEnd(
        _ topics: [String], configuration: KafkaConsumerConfiguration, logger: Logger, timeout: Duration
    ) async throws -> [KafkaConsumedMessage] {
        let reader = try KafkaPartitionReader(configuration: configuration, logger: logger)
        return try await reader.run { try $0.readToEnd(topics, timeout: timeout) }
    }

    /// Every message of `topics` from the beginning to the end they had when called. For
    /// small topics (e.g. state), not for data.
    public func readToEnd(_ topics: [String], timeout: Duration) throws -> [KafkaConsumedMessage] {
        let ends = try endOffsets(partitions(of: topics, timeout: timeout), timeout: timeout).filter { $0.value > 0 }
        return try read(from: ends.mapValues { _ in .beginning }, to: ends, timeout: timeout)
    }

    /// Every message from `starts` up to `ends` (excluded). Done when the reader's position
    /// reaches each end: with `read_committed` and a transaction still open before an end,
    /// that waits until the transaction is over. Fails when no message arrives and no
    /// position moves for `timeout`: a long read that keeps going is not cut short.
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
        try consumer.assign(starts.filter { remaining.contains($0.key) })
        defer { try? consumer.assign([:]) }
        var messages: [KafkaConsumedMessage] = []
        var deadline = ContinuousClock.now + timeout
        var positions: [KafkaTopicPartition: Int64] = [:]
        while !remaining.isEmpty {
            guard ContinuousClock.now < deadline else {
                let stuck = remaining.sorted().map(\.description).joined(separator: ", ")
                throw KafkaError(operation: "read to the end of \(stuck) (nothing arrived for \(timeout); an open transaction may hold it back)", code: RD_KAFKA_RESP_ERR__TIMED_OUT)
            }
            let polled = try consumer.poll(maximumMessages: 10_000, timeout: .milliseconds(100))
            for m in polled {
                guard let end = ends[m.topicPartition], m.offset < end else { continue }
                messages.append(m)
            }
            // Positions, not message offsets: the last offset may be a transaction marker.
            let now = try consumer.positions(Array(remaining))
            if !polled.isEmpty || now != positions.filter({ remaining.contains($0.key) }) { deadline = ContinuousClock.now + timeout }
            positions = now
            for (tp, position) in now where position >= ends[tp]! {
                remaining.remove(tp)
            }
        }
        return messages
    }

    /// The first message read from each offset: the one there, or the next one when it is
    /// gone (compacted). A partition whose offset is out of range (with
    /// `autoOffsetReset = .error`) is absent.
    public func firstMessages(at offsets: [KafkaTopicPartition: Int64], timeout: Duration) throws -> [KafkaTopicPartition: KafkaConsumedMessage] {
        guard !offsets.isEmpty else { return [:] }
        try consumer.assign(offsets.mapValues(KafkaOffset.exact))
        defer { try? consumer.assign([:]) }
        var found: [KafkaTopicPartition: KafkaConsumedMessage] = [:]
        var outOfRange: Set<KafkaTopicPartition> = []
        let deadline = ContinuousClock.now + timeout
        while found.count + outOfRange.count < offsets.count {
            guard ContinuousClock.now < deadline else {
                throw KafkaError(operation: "read the messages at \(offsets.count - found.count - outOfRange.count) offset(s)", code: RD_KAFKA_RESP_ERR__TIMED_OUT)
            }
            for m in try consumer.poll(maximumMessages: 1000, timeout: .milliseconds(100)) where found[m.topicPartition] == nil {
                found[m.topicPartition] = m
            }
            outOfRange.formUnion(consumer.takeOutOfRangePartitions().subtracting(found.keys))
        }
        return found
    }
}
