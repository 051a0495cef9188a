/// A failure in the Kafka layer: what was being done, on which topic/partition, and what the
/// client library said. librdkafka retries what can be retried itself (connections, leader
/// moves, full queues) before a call fails; transactions say what to do next through
/// `KafkaTransactionError`.
public struct KafkaError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What Paystream was doing, e.g. "produce", "commit offsets", "create topic".
    public var operation: String
    /// librdkafka's error name, e.g. "_MSG_TIMED_OUT" or "UNKNOWN_TOPIC_OR_PART".
    public var code: String
    /// librdkafka's explanation.
    public var reason: String
    public var topic: String?
    public var partition: Int32?
    public var offset: Int64?

    public init(
        operation: String, code: String, reason: String, topic: String? = nil,
        partition: Int32? = nil, offset: Int64? = nil
    ) {
        self.operation = operation
        self.code = code
        self.reason = reason
        self.topic = topic
        self.partition = partition
        self.offset = offset
    }

    public var description: String {
        var location: [String] = []
        if let topic { location.append("topic \(topic)") }
        if let partition { location.append("partition \(partition)") }
        if let offset { location.append("offset \(offset)") }
        let at = location.isEmpty ? "" : " (\(location.joined(separator: ", ")))"
        return "Kafka \(operation) failed\(at): \(reason) [\(code)]"
    }
}
