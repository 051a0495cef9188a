public struct KafkaProducerConfiguration: Sendable {
    public var client: KafkaClientConfiguration
    /// Idempotent delivery: no duplicates and no reordering per partition on retries.
    /// Implies `acks=all`.
    public var isIdempotenceEnabled = true
    /// How long the producer waits to fill a batch before sending it.
    public var linger: Duration = .milliseconds(5)
    /// Give up on a message the broker has not acknowledged after this long.
    public var messageTimeout: Duration = .seconds(120)
    /// `none`, `gzip`, `snappy`, `lz4` or `zstd`.
    public var compression = "lz4"
    /// Java-compatible key hashing so clients in other languages agree on partitions.
    public var partitioner = "murmur2_random"
    /// Upper bound on messages waiting in the local queue.
    public var maxQueuedMessages = 500_000

    public init(client: KafkaClientConfiguration) {
        self.client = client
    }

    var librdkafkaProperties: [String: String] {
        var p = client.librdkafkaProperties
        p["enable.idempotence"] = isIdempotenceEnabled ? "true" : "false"
        p["acks"] = "all"
        p["linger.ms"] = String(linger.milliseconds)
        p["message.timeout.ms"] = String(messageTimeout.milliseconds)
        p["compression.codec"] = compression
        p["partitioner"] = partitioner
        p["queue.buffering.max.messages"] = String(maxQueuedMessages)
        p.merge(client.properties) { _, user in user }
        return p
    }
}
