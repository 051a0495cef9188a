import PaystreamFetcher

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
    /// From the state topic: when the newest completed sync ended, its number and the records
    /// it published (see `CompletedSync`: while a sync runs, the last one that saved the
    /// cursor, whose number the state does not keep).
    public var lastCompletedSync: String?
    public var lastSyncRecords: Int?
    public var lastCompletedRound: Int?
    /// From the state topic: the newest sync of the resource (running, completed or
    /// failed, and why), over its slices when it has some.
    public var currentSync: SyncStatus?
    /// The state record as the fetcher wrote it, every field (nil when none).
    public var state: JSONValue?
    /// A sliced resource's slices' checkpoints, by unit id (`<resource>#<slice>`).
    public var slices: [String: JSONValue]?
}

/// The newest sync of a resource as its units' checkpoints tell it.
public struct SyncStatus: Codable, Sendable {
    /// The sync's number (the units' highest `round`).
    public var round: Int
    /// Failed when any unit failed it; running while any unit is still at it.
    public var result: UnitCheckpoint.Status
    /// Why units failed, `<unit>: <error>`.
    public var errors: [String]
    public var updatedAt: String?
    /// Units that finished the sync, of all units.
    public var unitsDone: Int
    public var units: Int

    /// nil when no unit has a checkpoint with a round yet.
    init?(units: [(id: String, state: JSONValue?)]) {
        let rounds = units.compactMap { u in u.state?["round"]?.text.flatMap { Int($0) }.map { (u.id, $0, u.state!) } }
        guard let round = rounds.map(\.1).max() else { return nil }
        let current = rounds.filter { $0.1 == round }
        // A status this reader does not know (a newer fetcher's) counts as still running.
        let statuses = current.map { $0.2["status"]?.text.flatMap(UnitCheckpoint.Status.init) ?? .running }
        errors = zip(current, statuses).compactMap { unit, status in
            status == .failed ? "\(unit.0): \(unit.2["error"]?.text ?? "failed")" : nil
        }
        unitsDone = statuses.filter { $0 == .completed }.count
        self.units = units.count
        self.round = round
        result = !errors.isEmpty ? .failed : (unitsDone == units.count ? .completed : .running)
        updatedAt = current.compactMap { $0.2["updated_at"]?.text }.max()
    }
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
