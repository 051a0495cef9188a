import PaystreamMessageFormat

/// Where a store is in one partition, and what tells that partition apart from one of a
/// topic deleted and created again under the same name (whose offsets start again at 0).
public struct PartitionCheckpoint: Sendable, Equatable {
    /// The next offset to read: every message before it is in the store.
    public var nextOffset: Int64
    /// The topic's id when the broker gave one.
    public var topicID: String?
    /// The first message the store read from the partition, for brokers without topic ids.
    public var fingerprint: MessageFingerprint?

    public init(nextOffset: Int64, topicID: String? = nil, fingerprint: MessageFingerprint? = nil) {
        self.nextOffset = nextOffset
        self.topicID = topicID
        self.fingerprint = fingerprint
    }
}

/// One message of a partition, recognisable later: its offset and a hash of its key,
/// value and timestamp. The same offset holding another message means another partition.
public struct MessageFingerprint: Sendable, Equatable {
    public var offset: Int64
    public var hash: Int64

    public init(offset: Int64, hash: Int64) {
        self.offset = offset
        self.hash = hash
    }

    public init(of message: some StoreMessage) {
        // FNV-1a over key, value and timestamp, each preceded by its length (or -1 if absent).
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ bytes: some Sequence<UInt8>) {
            for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        }
        func mix(_ number: Int64) { withUnsafeBytes(of: number.littleEndian) { mix($0) } }
        mix(Int64(message.key?.count ?? -1))
        message.key.map(mix)
        mix(Int64(message.value?.count ?? -1))
        message.value.map(mix)
        mix(message.timestamp ?? -1)
        self.init(offset: message.offset, hash: Int64(bitPattern: h))
    }
}
