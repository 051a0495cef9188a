public struct KafkaConsumerConfiguration: Sendable {
    public var client: KafkaClientConfiguration
    public var groupID: String
    /// A member that stops heartbeating loses its partitions after this long. Short values
    /// make a crashed member's partitions move sooner.
    public var sessionTimeout: Duration = .seconds(10)
    /// Where to start when the group has no committed offset, or when a position is out
    /// of range: `earliest`, `latest`, or `error` (reported by `poll` as
    /// `KafkaConsumer.takeOutOfRangePartitions`, for applications that decide themselves).
    public var autoOffsetReset = "earliest"
    /// Which messages of transactional producers are read.
    public var isolation = Isolation.readCommitted
    /// Upper bound on fetched-but-not-yet-consumed data kept by the client, which is what
    /// bounds a consumer's memory.
    public var maximumPrefetchKilobytes = 32 * 1024
    /// Copy each message's headers into `KafkaConsumedMessage.headers`; consumers that
    /// never look at them save several allocations per message by turning this off.
    public var readsHeaders = true

    public enum Isolation: String, Sendable {
        /// Messages of committed transactions only (and every message of producers that
        /// use no transactions). Aborted messages and transaction markers are skipped.
        case readCommitted = "read_committed"
        case readUncommitted = "read_uncommitted"
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
        p["auto.offset.reset"] = autoOffsetReset
        p["queued.max.messages.kbytes"] = String(maximumPrefetchKilobytes)
        // Offsets move only when the application says its writes are durable.
        p["enable.auto.commit"] = "false"
        p["enable.auto.offset.store"] = "false"
        p["isolation.level"] = isolation.rawValue
        p.merge(client.properties) { _, user in user }
        return p
    }
}
