import PaystreamBasics

public struct KafkaProducerConfiguration: Sendable {
    public var client: KafkaClientConfiguration
    /// Idempotent delivery: no duplicates and no reordering per partition on retries.
    /// Implies `acks=all`.
    public var isIdempotenceEnabled = true
    /// How long the producer waits to fill a batch before sending it.
    public var linger: Duration = .milliseconds(5)
    /// Give up on a message the broker has not acknowledged after this long (nil: the
    /// client's `brokerTimeout`).
    public var messageTimeout: Duration?
    public var compression = Compression.lz4
    /// Java-compatible key hashing so clients in other languages agree on partitions.
    public var partitioner = Partitioner.murmur2Random
    /// Upper bound on messages waiting in the local queue.
    public var maximumQueuedMessages = 500_000
    /// Makes the producer transactional (see `KafkaProducer+Transactions.swift`). A newer
    /// producer with the same id fences this one.
    public var transactionalID: String?
    /// The broker aborts a transaction left open this long (a producer that died in one).
    public var transactionTimeout: Duration = .seconds(60)

    /// librdkafka's `compression.codec` values.
    public enum Compression: String, Sendable, CaseIterable {
        case uncompressed = "none"
        case gzip, snappy, lz4, zstd
    }

    /// librdkafka's `partitioner` values: the hash of a message's key picks its partition.
    /// The `…Random` ones spread messages without a key at random; the others send them
    /// all to one partition.
    public enum Partitioner: String, Sendable, CaseIterable {
        /// murmur2, as the Java client's default partitioner.
        case murmur2Random = "murmur2_random"
        case murmur2
        /// CRC32 (librdkafka's default).
        case consistentRandom = "consistent_random"
        case consistent
        case fnv1aRandom = "fnv1a_random"
        case fnv1a
        /// Every message to a random partition, whatever its key.
        case random
    }

    public init(client: KafkaClientConfiguration) {
        self.client = client
    }

    var librdkafkaProperties: [String: String] {
        var p = client.librdkafkaProperties
        p["enable.idempotence"] = isIdempotenceEnabled ? "true" : "false"
        p["acks"] = "all"
        p["linger.ms"] = String(linger.milliseconds)
        let messageTimeout = self.messageTimeout ?? client.brokerTimeout
        p["message.timeout.ms"] = String(messageTimeout.milliseconds)
        p["compression.codec"] = compression.rawValue
        p["partitioner"] = partitioner.rawValue
        p["queue.buffering.max.messages"] = String(maximumQueuedMessages)
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
