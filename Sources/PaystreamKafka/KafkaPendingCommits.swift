import CRDKafka
import PaystreamBasics
import PaystreamMessageFormat

/// Offset commits that do not wait for the group coordinator: each is sent at once, and its
/// answer arrives on a queue of its own, read when the caller chooses (`takeFailures`). For
/// a caller whose commits are only for others to see (the sink's, for lag tools), so that a
/// slow or absent broker never holds up its work: a synchronous commit to a dead broker
/// waited a minute here (librdkafka's `socket.timeout.ms`).
///
/// Not `Sendable`: one thread sends and reads (the sink's writer). Dropping it with answers
/// outstanding is safe: librdkafka discards answers for a queue that is gone.
public final class KafkaPendingCommits {
    private let handle: RDKafkaHandle
    private let queue: OpaquePointer
    /// Commits sent whose answer has not been read yet.
    public private(set) var unanswered = 0

    init(handle: RDKafkaHandle) {
        self.handle = handle
        queue = rd_kafka_queue_new(handle.pointer)
    }

    deinit {
        rd_kafka_queue_destroy(queue)
    }

    /// Sends a commit of `offsets` (the next offset to read per partition) without waiting.
    public func send(_ offsets: [KafkaTopicPartition: Int64]) throws {
        guard !offsets.isEmpty else { return }
        let list = RDKafkaTopicPartitionList.make(offsets)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        let err = rd_kafka_commit_queue(handle.pointer, list, queue, nil, nil)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(operation: "commit offsets", code: err) }
        unanswered += 1
    }

    /// The failures among the answers that arrived, waiting for the rest until `deadline`
    /// (nil: not at all). Answers still missing then stay counted in `unanswered`.
    public func takeFailures(waitingUntil deadline: ContinuousClock.Instant? = nil) -> [KafkaError] {
        var failures: [KafkaError] = []
        while unanswered > 0 {
            let wait = deadline.map { max(0, ($0 - .now).milliseconds) } ?? 0
            guard let event = rd_kafka_queue_poll(queue, Int32(clamping: wait)) else { break }
            defer { rd_kafka_event_destroy(event) }
            guard rd_kafka_event_type(event) == RD_KAFKA_EVENT_OFFSET_COMMIT else { continue }
            unanswered -= 1
            if let failure = Self.failure(event) { failures.append(failure) }
        }
        return failures
    }

    private static func failure(_ event: OpaquePointer) -> KafkaError? {
        let err = rd_kafka_event_error(event)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { return KafkaError(operation: "commit offsets", code: err) }
        guard let list = rd_kafka_event_topic_partition_list(event) else { return nil }
        for (tp, _, perr) in RDKafkaTopicPartitionList.elements(list) where perr != RD_KAFKA_RESP_ERR_NO_ERROR {
            return KafkaError(operation: "commit offsets", code: perr, topic: tp.topic, partition: tp.partition)
        }
        return nil
    }
}

extension KafkaOffsetCommitter {
    /// A queue for commits that do not wait (see `KafkaPendingCommits`).
    public func pendingCommits() -> KafkaPendingCommits { KafkaPendingCommits(handle: handle) }
}
