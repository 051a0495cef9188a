/// A message the store can write: where it came from and its key and value bytes.
/// The sink's Kafka messages conform, so nothing is copied on the way in.
public protocol StoreMessage {
    var topic: String { get }
    var partition: Int32 { get }
    var offset: Int64 { get }
    var key: [UInt8]? { get }
    /// nil for a tombstone: the record was deleted.
    var value: [UInt8]? { get }
}

/// A topic partition as the store tracks it.
public struct StorePartition: Hashable, Sendable, Comparable {
    public var topic: String
    public var partition: Int32

    public init(topic: String, partition: Int32) {
        self.topic = topic
        self.partition = partition
    }

    public static func < (a: Self, b: Self) -> Bool { (a.topic, a.partition) < (b.topic, b.partition) }
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
    /// Per partition, the next offset to consume (last written + 1), as committed.
    public var nextOffsets: [StorePartition: Int64] = [:]
}
