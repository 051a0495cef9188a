/// A record's identity for anchoring offset pages: its key and a hash of its bytes, so an
/// updated record (new bytes) is a different identity from its old version.
struct RecordIdentity: Hashable {
    let value: UInt64

    init(key: [UInt8], body: ArraySlice<UInt8>) {
        // FNV-1a, 64 bit.
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in key { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        h = (h ^ 0xFF) &* 0x100_0000_01B3
        for b in body { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        value = h
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
