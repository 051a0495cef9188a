/// A failure in the Kafka layer: what was being done, on which topic/partition, what the
/// client library said, and whether trying again can help.
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
    /// True when the same call may succeed later (broker down, leader moving, queue full).
    public var isRetriable: Bool

    public init(
        operation: String, code: String, reason: String, topic: String? = nil,
        partition: Int32? = nil, offset: Int64? = nil, isRetriable: Bool
    ) {
        self.operation = operation
        self.code = code
        self.reason = reason
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.isRetriable = isRetriable
    }

    public var description: String {
        var location: [String] = []
        if let topic { location.append("topic \(topic)") }
        if let partition { location.append("partition \(partition)") }
        if let offset { location.append("offset \(offset)") }
        let at = location.isEmpty ? "" : " (\(location.joined(separator: ", ")))"
        let hint = isRetriable ? "; retrying may help" : ""
        return "Kafka \(operation) failed\(at): \(reason) [\(code)]\(hint)"
    }
}
