import CRDKafka
import Logging

/// A consumer-group member with manual offset control: nothing is committed unless the
/// application calls `commit` after its own writes are durable.
///
/// The methods block. Call them from one thread: either a thread the caller owns (the
/// sink's worker), or from async code through `run`, which executes them on the consumer's
/// own queue (`RDKafkaExecutor`), never on Swift's cooperative pool. Rebalance callbacks run
/// inside `poll` on that thread.
public final class KafkaConsumer: @unchecked Sendable {
    let handle: RDKafkaHandle
    private let logger: Logger
    private var topicNames: [OpaquePointer: String] = [:]
    private var isClosed = false
    /// Only a group member has a group to leave on close.
    private var isSubscribed = false
    private let readsHeaders: Bool

    public init(
        configuration: KafkaConsumerConfiguration, rebalanceHandler: (any KafkaRebalanceHandler)? = nil,
        logger: Logger
    ) throws {
        self.logger = logger
        self.readsHeaders = configuration.readsHeaders
        self.handle = try RDKafkaHandle(
            kind: .consumer, properties: configuration.librdkafkaProperties,
            context: RDKafkaCallbackContext(logger: logger, rebalanceHandler: rebalanceHandler)
        ) { conf in
            rd_kafka_conf_set_rebalance_cb(conf, rebalanceCallback)
        }
        // Route all events through rd_kafka_consumer_poll.
        rd_kafka_poll_set_consumer(handle.pointer)
    }

    deinit {
        if !isClosed { try? close() }
    }

    /// Runs blocking calls on this consumer's own queue, off Swift's cooperative pool.
    public func run<T: Sendable>(_ body: @Sendable (KafkaConsumer) throws -> T) async throws -> T {
        try await handle.executor.run { try body(self) }
    }

    public func subscribe(topics: [String]) throws {
        let list = RDKafkaTopicPartitionList.make(topics.map { KafkaTopicPartition(topic: $0, partition: RD_KAFKA_PARTITION_UA) })
        defer { rd_kafka_topic_partition_list_destroy(list) }
        let err = rd_kafka_subscribe(handle.pointer, list)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError(operation: "subscribe to \(topics.joined(separator: ", "))", code: err)
        }
        isSubscribed = true
    }

    /// Up to `maxMessages` messages, waiting at most `timeout` for the first one and then
    /// taking what is already fetched. Errors the client recovers from are logged;
    /// a fatal one is thrown.
    public func poll(maxMessages: Int, timeout: Duration) throws -> [KafkaConsumedMessage] {
        var messages: [KafkaConsumedMessage] = []
        messages.reserveCapacity(min(maxMessages, 4096))
        var wait = Int32(timeout.milliseconds)
        while messages.count < maxMessages {
            guard let raw = rd_kafka_consumer_poll(handle.pointer, wait) else { break }
            defer { rd_kafka_message_destroy(raw) }
            wait = 0
            let m = raw.pointee
            if m.err != RD_KAFKA_RESP_ERR_NO_ERROR {
                try handlePollError(m)
                continue
            }
            messages.append(copy(raw))
        }
        return messages
    }

    /// Commits `offsets` (the next offset to read, i.e. last processed + 1) synchronously.
    public func commit(_ offsets: [KafkaTopicPartition: Int64]) throws {
        guard !offsets.isEmpty else { return }
        let list = RDKafkaTopicPartitionList.make(offsets)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        let err = rd_kafka_commit(handle.pointer, list, 0)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError(operation: "commit offsets", code: err)
        }
        for (tp, _, perr) in RDKafkaTopicPartitionList.elements(list) where perr != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError(operation: "commit offsets", code: perr, topic: tp.topic, partition: tp.partition)
        }
    }

    /// The group's committed offsets; partitions without one are absent.
    public func committed(_ partitions: [KafkaTopicPartition], timeout: Duration) throws -> [KafkaTopicPartition: Int64] {
        let list = RDKafkaTopicPartitionList.make(partitions)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        let err = rd_kafka_committed(handle.pointer, list, Int32(timeout.milliseconds))
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(operation: "read committed offsets", code: err) }
        var result: [KafkaTopicPartition: Int64] = [:]
        for (tp, offset, _) in RDKafkaTopicPartitionList.elements(list) where offset >= 0 { result[tp] = offset }
        return result
    }

    /// Low and high watermarks (first offset, offset after the last message) as the broker
    /// answers a ListOffsets query. The high one is wrong on Tansu 0.6: use `endOffsets`.
    public func watermarks(_ partition: KafkaTopicPartition, timeout: Duration) throws -> (low: Int64, high: Int64) {
        try RDKafkaMetadata.watermarks(handle.pointer, partition, timeout: timeout)
    }

    /// End offsets (high watermarks) as fetch responses report them, for partitions this
    /// consumer is not subscribed to (it assigns them itself, then unassigns). A broker's
    /// answer to a ListOffsets query can be wrong where fetch responses are right: Tansu
    /// 0.6 answers with the last record batch's base offset + 1.
    public func endOffsets(_ partitions: [KafkaTopicPartition], timeout: Duration) throws -> [KafkaTopicPartition: Int64] {
        guard !partitions.isEmpty else { return [:] }
        try assign(Dictionary(uniqueKeysWithValues: partitions.map { ($0, KafkaOffset.end) }))
        defer { try? assign([:]) }
        var ends: [KafkaTopicPartition: Int64] = [:]
        let deadline = ContinuousClock.now + timeout
        while ends.count < partitions.count {
            guard ContinuousClock.now < deadline else {
                throw KafkaError(operation: "read end offsets (\(ends.count) of \(partitions.count) partitions answered)", code: RD_KAFKA_RESP_ERR__TIMED_OUT)
            }
            _ = try poll(maxMessages: 10_000, timeout: .milliseconds(50))
            for tp in partitions where ends[tp] == nil {
                if let (_, high) = cachedWatermarks(tp) { ends[tp] = high }
            }
        }
        return ends
    }

    /// Reads partitions directly, without group membership, from the given offsets
    /// (or `KafkaOffset.beginning` / `.end`); an empty map unassigns everything.
    public func assign(_ offsets: [KafkaTopicPartition: Int64]) throws {
        let list = offsets.isEmpty ? nil : RDKafkaTopicPartitionList.make(offsets)
        defer { list.map { rd_kafka_topic_partition_list_destroy($0) } }
        let err = rd_kafka_assign(handle.pointer, list)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(operation: "assign partitions", code: err) }
    }

    /// `readToEnd` with a short-lived consumer, off Swift's cooperative pool.
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
        from starts: [KafkaTopicPartition: Int64], to ends: [KafkaTopicPartition: Int64], timeout: Duration
    ) throws -> [KafkaConsumedMessage] {
        // Logical starts (beginning, end) are negative: read those until the position says.
        var remaining = Set(ends.compactMap { tp, end in starts[tp].flatMap { $0 < end ? tp : nil } })
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
            for (tp, position) in try positions(Array(remaining)) where position >= ends[tp]! {
                remaining.remove(tp)
            }
        }
        return messages
    }

    /// Watermarks from the last fetch response, without asking the broker; nil until the
    /// partition was fetched from. Cheap enough for periodic lag reports.
    public func cachedWatermarks(_ tp: KafkaTopicPartition) -> (low: Int64, high: Int64)? {
        var low: Int64 = -1
        var high: Int64 = -1
        let err = rd_kafka_get_watermark_offsets(handle.pointer, tp.topic, tp.partition, &low, &high)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR, high >= 0 else { return nil }
        return (low, high)
    }

    /// Partition counts of `topics` as the cluster reports them.
    public func partitionCounts(_ topics: [String], timeout: Duration) throws -> [String: Int] {
        try RDKafkaMetadata.partitionCounts(handle.pointer, topics, timeout: timeout)
    }

    /// The partitions this member currently owns.
    public func assignment() throws -> [KafkaTopicPartition] {
        var list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
        let err = rd_kafka_assignment(handle.pointer, &list)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(operation: "read assignment", code: err) }
        guard let list else { return [] }
        defer { rd_kafka_topic_partition_list_destroy(list) }
        return RDKafkaTopicPartitionList.elements(list).map(\.0)
    }

    /// Leaves the group, so its partitions move at once. The client itself goes with the
    /// last reference to it.
    public func close() throws {
        guard !isClosed else { return }
        isClosed = true
        // A consumer that only assigned partitions to itself has no group to leave (and
        // librdkafka's close would make its destruction take a second).
        guard isSubscribed else { return }
        let err = rd_kafka_consumer_close(handle.pointer)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(operation: "close consumer", code: err) }
    }

    /// Where this consumer will read next in each partition: past the last message `poll`
    /// returned and past any transaction markers after it. Unlike a message's offset + 1,
    /// this reaches a partition's end offset on topics written with transactions.
    public func positions(_ partitions: [KafkaTopicPartition]) throws -> [KafkaTopicPartition: Int64] {
        let list = RDKafkaTopicPartitionList.make(partitions)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        let err = rd_kafka_position(handle.pointer, list)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(operation: "read positions", code: err) }
        var result: [KafkaTopicPartition: Int64] = [:]
        for (tp, offset, _) in RDKafkaTopicPartitionList.elements(list) where offset >= 0 { result[tp] = offset }
        return result
    }

    private func handlePollError(_ m: rd_kafka_message_t) throws {
        if m.err == RD_KAFKA_RESP_ERR__PARTITION_EOF { return }
        let topic = m.rkt.map { String(cString: rd_kafka_topic_name($0)) }
        let error = KafkaError(operation: "consume", code: m.err, topic: topic, partition: m.partition, offset: m.offset)
        var reason = [CChar](repeating: 0, count: 512)
        if rd_kafka_fatal_error(handle.pointer, &reason, reason.count) != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw error
        }
        logger.warning("\(error)")
    }

    private func copy(_ raw: UnsafeMutablePointer<rd_kafka_message_t>) -> KafkaConsumedMessage {
        let m = raw.pointee
        let topic: String
        if let rkt = m.rkt, let cached = topicNames[rkt] {
            topic = cached
        } else {
            topic = m.rkt.map { String(cString: rd_kafka_topic_name($0)) } ?? ""
            if let rkt = m.rkt { topicNames[rkt] = topic }
        }
        return KafkaConsumedMessage(
            topic: topic, partition: m.partition, offset: m.offset,
            key: m.key.map { Array(UnsafeRawBufferPointer(start: $0, count: m.key_len)) },
            value: m.payload.map { Array(UnsafeRawBufferPointer(start: $0, count: m.len)) },
            headers: readsHeaders ? RDKafkaHeaders.read(raw) : []
        )
    }
}

private let rebalanceCallback: @convention(c) (
    OpaquePointer?, rd_kafka_resp_err_t, UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?, UnsafeMutableRawPointer?
) -> Void = { rk, err, partitions, _ in
    guard let rk, let partitions else { return }
    RDKafkaRebalance.handle(rk, err, partitions)
}
