import PaystreamBasics

public struct KafkaConsumerConfiguration: Sendable {
    public var client: KafkaClientConfiguration
    public var groupID: String
    /// A member that stops heartbeating loses its partitions after this long. Short values
    /// make a crashed member's partitions move sooner.
    public var sessionTimeout: Duration = .seconds(10)
    /// Where to start when the group has no committed offset, or when a position is out
    /// of range: `earliest`, `latest`, or `error` (reported by `poll` as
    /// `KafkaConsumer.takeOutOfRangePartitions`, for applications that decide themselves).
    public var autoOffsetReset = OffsetReset.earliest
    /// Upper bound on fetched-but-not-yet-consumed data kept by the client, which is what
    /// bounds a consumer's memory.
    public var maximumPrefetchKilobytes = 32 * 1024
    /// Copy each message's headers into `KafkaConsumedMessage.headers`; consumers that
    /// never look at them save several allocations per message by turning this off.
    public var readsHeaders = true
    /// `readCommitted` (the default) delivers a transaction's messages only once it
    /// committed; `readUncommitted` delivers everything as it arrives.
    public var isolationLevel = IsolationLevel.readCommitted
    /// How the group spreads partitions over its members. `cooperativeSticky` moves only
    /// the partitions that must move when members join or leave.
    public var assignmentStrategy = AssignmentStrategy.rangeRoundRobin
    /// How long the broker may hold a fetch that found nothing new; short for readers that
    /// follow a small topic and must see new messages quickly (librdkafka's default: 500 ms).
    public var maximumFetchWait: Duration?

    public enum OffsetReset: String, Sendable {
        case earliest, latest
        /// The application decides: see `KafkaConsumer.takeOutOfRangePartitions`.
        case error
    }

    public enum IsolationLevel: String, Sendable {
        /// Messages of committed transactions only (and every message of producers that
        /// use no transactions); transaction markers are skipped.
        case readCommitted = "read_committed"
        case readUncommitted = "read_uncommitted"
    }

    public enum AssignmentStrategy: String, Sendable {
        /// librdkafka's default (`range,roundrobin`), an eager protocol.
        case rangeRoundRobin = "range,roundrobin"
        case cooperativeSticky = "cooperative-sticky"
    }

    public init(client: KafkaClientConfiguration, groupID: String) {
        self.client = client
        self.groupID = groupID
    }

    var librdkafkaProperties: [String: String] {
        var p = client.librdkafkaProperties
        p["group.id"] = groupID
        p["session.timeout.ms"] = String(sessionTimeout.milliseconds)
        p["heartbeat.interval.ms"] = String(max(100, sessionTimeout.milliseconds / 5))
        p["auto.offset.reset"] = autoOffsetReset.rawValue
        p["queued.max.messages.kbytes"] = String(maximumPrefetchKilobytes)
        // Offsets move only when the application says its writes are durable.
        p["enable.auto.commit"] = "false"
        p["enable.auto.offset.store"] = "false"
        // Fetchers in a group publish in transactions: a reader must not see a transaction's
        // messages before it committed. (Tansu 0.6 still delivers aborted messages that
        // reached it; the fetcher copes, see README "Exactly once".)
        p["isolation.level"] = isolationLevel.rawValue
        p["partition.assignment.strategy"] = assignmentStrategy.rawValue
        if let maximumFetchWait { p["fetch.wait.max.ms"] = String(maximumFetchWait.milliseconds) }
        p.merge(client.properties) { _, user in user }
        return p
    }
}
