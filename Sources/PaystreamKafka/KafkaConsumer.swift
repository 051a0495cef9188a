import CRDKafka
import Logging
import PaystreamBasics
import PaystreamMessageFormat

/// A Kafka consumer with manual offset control: nothing is committed unless the
/// application commits (`offsetCommitter`) after its own writes are durable. It either joins
/// its group (`subscribe`) or reads the partitions it is given (`assign`, `addPartitions`), in
/// which case the group id only names where commits store offsets.
///
/// Not `Sendable`: one thread or task owns it, as a GRDB connection belongs to its queue, and
/// the compiler keeps it there. Its methods block: the owner is either a thread of its own
/// (the sink's polling thread) or async code that calls them through `run`, which executes
/// them on the consumer's own queue (`RDKafkaExecutor`), never on Swift's cooperative pool.
/// Rebalance callbacks run inside `poll`, on the owner's thread. Only committing may happen
/// elsewhere, through `offsetCommitter` (librdkafka's commit is thread-safe).
public final class KafkaConsumer {
    let handle: RDKafkaHandle
    private let logger: Logger
    private var topicNames: [OpaquePointer: String] = [:]
    private var isClosed = false
    /// Only a group member has a group to leave on close.
    private var isSubscribed = false
    private let readsHeaders: Bool
    /// Partitions whose position was out of range, with `autoOffsetReset = .error`.
    private var outOfRange: Set<TopicPartition> = []
    /// The queue `poll` reads (the consumer's own, which also carries its events).
    private let queue: OpaquePointer
    /// When each recurring poll error (code, topic, partition) was last logged: librdkafka
    /// reports some on every fetch (a topic that does not exist while the broker is being
    /// rebuilt), and one line a minute says as much as hundreds.
    private var lastWarned: [String: ContinuousClock.Instant] = [:]

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
        // Route all events through the consumer queue that `poll` reads.
        rd_kafka_poll_set_consumer(handle.pointer)
        queue = rd_kafka_queue_get_consumer(handle.pointer)
    }

    deinit {
        if !isClosed { try? close() }
    }

    /// Runs blocking calls on this consumer's own queue, off Swift's cooperative pool, while
    /// the calling task waits: the consumer stays with the task that owns it.
    public func run<T>(_ body: (KafkaConsumer) throws -> T) async throws -> T {
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

    /// Up to `maximumMessages` messages, waiting at most `timeout` for the first one and then
    /// taking what is already fetched. Errors the client recovers from are logged;
    /// a fatal one is thrown.
    public func poll(maximumMessages: Int, timeout: Duration) throws -> [KafkaConsumedMessage] {
        var messages: [KafkaConsumedMessage] = []
        messages.reserveCapacity(min(maximumMessages, 4096))
        _ = try poll(into: &messages, maximumMessages: maximumMessages, timeout: timeout)
        return messages
    }

    /// `poll`, appending to `messages` (a batch grows without being copied); returns the
    /// bytes of the values appended. Messages are taken from librdkafka up to a thousand at
    /// a time, not one call each.
    public func poll(into messages: inout [KafkaConsumedMessage], maximumMessages: Int, timeout: Duration) throws -> Int {
        var wait = Int32(timeout.milliseconds)
        var bytes = 0
        var added = 0
        let chunk = min(max(maximumMessages, 1), 1000)
        try withUnsafeTemporaryAllocation(of: UnsafeMutablePointer<rd_kafka_message_t>?.self, capacity: chunk) { raws in
            while added < maximumMessages {
                let count = rd_kafka_consume_batch_queue(queue, wait, raws.baseAddress, min(chunk, maximumMessages - added))
                guard count > 0 else { break }
                wait = 0
                defer { for i in 0..<count { rd_kafka_message_destroy(raws[i]) } }
                for i in 0..<count {
                    guard let raw = raws[i] else { continue }
                    let m = raw.pointee
                    if m.err != RD_KAFKA_RESP_ERR_NO_ERROR {
                        try handlePollError(m)
                        continue
                    }
                    messages.append(copy(raw))
                    bytes += m.len
                    added += 1
                }
            }
        }
        return bytes
    }

    /// Leaves the group, so its partitions move at once. The client itself goes with the
    /// last reference to it.
    public func close() throws {
        guard !isClosed else { return }
        isClosed = true
        rd_kafka_queue_destroy(queue)
        // A consumer that only assigned partitions to itself has no group to leave (and
        // librdkafka's close would make its destruction take a second).
        guard isSubscribed else { return }
        let err = rd_kafka_consumer_close(handle.pointer)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(operation: "close consumer", code: err) }
    }

    /// Partitions whose position turned out to be out of range since the last call
    /// (only with `autoOffsetReset = .error`): the topic was recreated, or retention removed
    /// the messages at the position. They are not read again until `seek`.
    public func takeOutOfRangePartitions() -> Set<TopicPartition> {
        defer { outOfRange = [] }
        return outOfRange
    }

    private func handlePollError(_ m: rd_kafka_message_t) throws {
        if m.err == RD_KAFKA_RESP_ERR__PARTITION_EOF { return }
        let topic = m.rkt.map { String(cString: rd_kafka_topic_name($0)) }
        if m.err == RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET || m.err == RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE, let topic {
            outOfRange.insert(TopicPartition(topic: topic, partition: m.partition))
            return
        }
        let error = KafkaError(operation: "consume", code: m.err, topic: topic, partition: m.partition, offset: m.offset)
        var reason = [CChar](repeating: 0, count: 512)
        if rd_kafka_fatal_error(handle.pointer, &reason, reason.count) != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw error
        }
        let key = "\(error.code) \(topic ?? "") \(m.partition)"
        if let last = lastWarned[key], ContinuousClock.now - last < .seconds(60) { return }
        lastWarned[key] = .now
        logger.warning("\(error) (repeats of it are not logged for a minute)")
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
            headers: readsHeaders ? RDKafkaHeaders.read(raw) : [],
            timestamp: Self.timestamp(raw)
        )
    }

    private static func timestamp(_ raw: UnsafeMutablePointer<rd_kafka_message_t>) -> Int64? {
        var type = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let ms = rd_kafka_message_timestamp(raw, &type)
        return type == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE || ms < 0 ? nil : ms
    }
}

private let rebalanceCallback: @convention(c) (
    OpaquePointer?, rd_kafka_resp_err_t, UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?, UnsafeMutableRawPointer?
) -> Void = { rk, err, partitions, _ in
    guard let rk, let partitions else { return }
    RDKafkaRebalance.handle(rk, err, partitions)
}
