/// A record's identity for anchoring offset pages: its key and a hash of its bytes, so an
/// updated record (new bytes) is a different identity from its old version.
struct RecordIdentity: Hashable {
    let value: UInt64

    init(key: [UInt8], body: ArraySlice<UInt8>) {
        var h = Self.hash(key.withUnsafeBytes { $0 }, seed: 0x9E37_79B9_7F4A_7C15)
        h = body.withUnsafeBytes { Self.hash($0, seed: h) }
        value = h
    }

    /// A multiply-xor hash over 8-byte words (not cryptographic; collisions only need to
    /// be unlikely among one page's neighbours).
    private static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64) -> UInt64 {
        var h = seed ^ UInt64(bytes.count)
        var i = 0
        while i + 8 <= bytes.count {
            let word = bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = (h ^ word) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
            i += 8
        }
        var tail: UInt64 = 0
        while i < bytes.count {
            tail = tail << 8 | UInt64(bytes[i])
            i += 1
        }
        h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
        return h ^ (h >> 29)
    }
}

/// The identities of the most recently accepted records, oldest dropped first.
struct AnchorSet {
    private var ring: [RecordIdentity] = []
    private var next = 0
    private var members: Set<RecordIdentity> = []
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    var isEmpty: Bool { members.isEmpty }

    func contains(_ id: RecordIdentity) -> Bool { members.contains(id) }

    mutating func add(_ id: RecordIdentity) {
        if ring.count < capacity {
            ring.append(id)
        } else {
            members.remove(ring[next])
            ring[next] = id
            next = (next + 1) % capacity
        }
        members.insert(id)
    }
}
