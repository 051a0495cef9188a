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
    /// Makes the producer transactional (see `KafkaProducer+Transactions.swift`). A newer
    /// producer with the same id fences this one.
    public var transactionalID: String?
    /// The broker aborts a transaction left open this long (a producer that died in one).
    public var transactionTimeout: Duration = .seconds(60)

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
        if let transactionalID {
            p["transactional.id"] = transactionalID
            p["transaction.timeout.ms"] = String(transactionTimeout.milliseconds)
            // librdkafka requires a message to time out within its transaction.
            p["message.timeout.ms"] = String(min(messageTimeout, transactionTimeout).milliseconds)
        }
        p.merge(client.properties) { _, user in user }
        return p
    }
}
