/// The records an offset walk has met most recently, by key: enough to recognise the next
/// page's overlap, to skip byte-identical repeats, and to refuse an older version of a record
/// after a newer one. Oldest forgotten first.
struct SeenRecords {
    enum Verdict {
        /// Not met before in this form: hand it on.
        case new
        /// The same bytes were handed on already.
        case repeated
        /// A newer version of this record was handed on already.
        case older
    }

    private var byKey: [UInt64: (mark: RecordMark, serial: Int)] = [:]
    private var ring: [(key: UInt64, serial: Int)] = []
    private var serial = 0
    let capacity: Int

    init(capacity: Int, remembering marks: [RecordMark] = []) {
        self.capacity = max(1, capacity)
        byKey.reserveCapacity(self.capacity)
        ring.reserveCapacity(self.capacity)
        for mark in marks { remember(mark) }
    }

    /// True when this very version of the record was met.
    func hasMet(_ mark: RecordMark) -> Bool {
        byKey[mark.key]?.mark.identity == mark.identity
    }

    /// True when some version of this record was met.
    func knowsKey(of mark: RecordMark) -> Bool {
        byKey[mark.key] != nil
    }

    func verdict(_ mark: RecordMark) -> Verdict {
        guard let seen = byKey[mark.key]?.mark else { return .new }
        if seen.content == mark.content { return .repeated }
        if let old = seen.version, let new = mark.version, new < old { return .older }
        // A new version, or the same version with other bytes (a volatile field, or a
        // second change within the version field's precision): hand it on, lose nothing.
        return .new
    }

    mutating func remember(_ mark: RecordMark) {
        serial += 1
        byKey[mark.key] = (mark, serial)
        if ring.count < capacity {
            ring.append((mark.key, serial))
            return
        }
        let slot = (serial - 1) % capacity
        let evicted = ring[slot]
        if byKey[evicted.key]?.serial == evicted.serial { byKey[evicted.key] = nil }
        ring[slot] = (mark.key, serial)
    }
}
