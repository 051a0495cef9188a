import PaystreamMessageFormat

/// A message the store can write: where it came from and its key and value bytes.
/// The sink's Kafka messages conform, so nothing is copied on the way in.
public protocol StoreMessage {
    var topic: String { get }
    var partition: Int32 { get }
    var offset: Int64 { get }
    var key: [UInt8]? { get }
    /// nil for a tombstone: the record was deleted.
    var value: [UInt8]? { get }
    /// Milliseconds since 1970, when the message has a timestamp.
    var timestamp: Int64? { get }
}

extension StoreMessage {
    public var timestamp: Int64? { nil }
    var topicPartition: TopicPartition { TopicPartition(topic: topic, partition: partition) }
}

/// A message the store could not turn into a row, and why.
public struct RejectedMessage: Sendable {
    public var index: Int
    public var reason: String
}

/// What one batch did.
public struct WriteSummary: Sendable {
    public var upserted = 0
    public var deleted = 0
    public var rejected: [RejectedMessage] = []
    /// Per partition, the next offset to consume, as committed.
    public var nextOffsets: [TopicPartition: Int64] = [:]
}
