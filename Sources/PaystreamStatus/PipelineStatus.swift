/// Where a pipeline stands, as `paystream-status` reports it (`--json` prints exactly this,
/// keys in snake_case).
public struct PipelineStatus: Codable, Sendable {
    public var brokers: [String]
    public var topicPrefix: String
    public var stateTopic: String
    public var resources: [ResourceStatus]
    /// With `--db`: the store's offsets against the topics' ends.
    public var store: StoreStatus?
}

public struct ResourceStatus: Codable, Sendable {
    public var name: String
    public var topic: String
    public var topicExists: Bool
    public var partitions: Int
    /// Offsets on the topic (end − start over its partitions). A compacted topic can hold
    /// fewer messages than that once the broker has compacted it.
    public var messages: Int64
    /// From the state topic: the incremental cursor the next sync starts from.
    public var cursor: String?
    /// From the state topic: when the last sync that saved a cursor completed, and how many
    /// records it published.
    public var lastCompletedSync: String?
    public var lastSyncRecords: Int?
    /// The state record as the fetcher wrote it, every field (nil when none).
    public var state: JSONValue?
}

public struct StoreStatus: Codable, Sendable {
    public var path: String
    /// Messages on the broker not yet in the store, over every partition.
    public var lag: Int64
    public var partitions: [PartitionStatus]
}

public struct PartitionStatus: Codable, Sendable {
    public var topic: String
    public var partition: Int32
    /// First offset still on the broker, and the offset after the last message.
    public var start: Int64
    public var end: Int64
    /// The store's next offset to read; nil when it has never written this partition.
    public var storedOffset: Int64?
    public var lag: Int64
}
