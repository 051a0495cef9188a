import PaystreamJSON

/// A fast, non-cryptographic hash over bytes (word-wise multiply-xor): equal bytes give
/// equal hashes; different bytes collide only by chance (about 1 in 2^64 per pair).
enum RecordHash {
    static func hash(key: [UInt8]) -> UInt64 {
        key.withUnsafeBytes { hash($0, seed: 0x9E37_79B9_7F4A_7C15) }
    }

    static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64) -> UInt64 {
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

/// What the offset walker remembers of a record it has seen: its key, which version of the
/// record it is, and its exact bytes — as hashes, so remembering is cheap.
///
/// The version comes from the record's version field (`updated_at` by default), never from
/// bytes that carry no meaning: a record whose served-at time or signed URL changes on every
/// request is still recognised as the same version. Without a version field, the whole
/// record is its version.
struct RecordMark: Codable, Sendable, Hashable {
    var key: UInt64
    /// Key and version: equal for two reads of one version of the record.
    var identity: UInt64
    /// Key and bytes: equal for two byte-identical reads.
    var content: UInt64
    /// The version's value for ordering versions of one record (nil: not orderable).
    var version: VersionOrder?

    init(_ record: PageRecord, in body: UnsafeRawBufferPointer) {
        key = RecordHash.hash(key: record.key)
        content = RecordHash.hash(UnsafeRawBufferPointer(rebasing: body[record.range]), seed: key)
        if let range = record.version {
            let raw = UnsafeRawBufferPointer(rebasing: body[range])
            identity = RecordHash.hash(raw, seed: key ^ 0x5851_F42D_4C95_7F2D)
            version = VersionOrder(raw)
        } else {
            identity = content
            version = nil
        }
    }
}

/// A version field's value, read without allocating: integers, RFC 3339 times.
enum VersionOrder: Codable, Sendable, Hashable, Comparable {
    case integer(Int64)
    case instant(seconds: Int64, nanoseconds: Int32)

    /// Nil for values that cannot be ordered (other text, fractions, mixed kinds).
    init?(_ raw: UnsafeRawBufferPointer) {
        guard let first = raw.first else { return nil }
        if first == UInt8(ascii: "\""), raw.count >= 2 {
            guard let instant = RFC3339.instant(UnsafeRawBufferPointer(rebasing: raw[1..<(raw.count - 1)])) else { return nil }
            self = .instant(seconds: instant.seconds, nanoseconds: instant.nanoseconds)
            return
        }
        var value: Int64 = 0
        var negative = false
        for (i, b) in raw.enumerated() {
            if i == 0, b == UInt8(ascii: "-") {
                negative = true
                continue
            }
            guard b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") else { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int64(b - UInt8(ascii: "0")))
            guard !o1, !o2 else { return nil }
            value = a
        }
        self = .integer(negative ? -value : value)
    }

    static func < (a: Self, b: Self) -> Bool {
        switch (a, b) {
        case (.integer(let x), .integer(let y)): x < y
        case (.instant(let s1, let n1), .instant(let s2, let n2)): (s1, n1) < (s2, n2)
        default: false
        }
    }
}

extension Page {
    /// Which version of which record this is, as the offset walker tells versions apart
    /// (`RecordMark.identity`): key and version field, or key and bytes without one.
    public func identity(of record: PageRecord) -> UInt64 {
        body.withUnsafeBytes { RecordMark(record, in: $0).identity }
    }
}

/// The identity (`Page.identity(of:)`) of a record already published as a message, from
/// its key and value, for a resource whose records carry their version at `versionPath`.
public struct RecordIdentifier: Sendable {
    let versionPath: JSONPath?

    /// The identity, or nil when the value is not a JSON object.
    public func identity(key: [UInt8], value: [UInt8]) -> UInt64? {
        value.withUnsafeBytes { bytes -> UInt64? in
            var reader = JSONReader(bytes)
            guard (try? reader.peekKind()) == .object else { return nil }
            var version: Range<Int>?
            if let versionPath, let found = try? reader.lookup([versionPath]), let v = found[0], v.kind == .string || v.kind == .number {
                version = v.range
            }
            let record = PageRecord(range: 0..<bytes.count, key: key, version: version)
            return RecordMark(record, in: bytes).identity
        }
    }
}
