
/// Where a resource's incremental sync got to: the largest cursor value of a run whose
/// every record the broker acknowledged (dlt's `last_value`), as the API wrote it, and the
/// records published with exactly that value (dlt's `unique_hashes`), so the next run, which
/// starts at that value, does not publish them again.
public struct CursorState: Codable, Sendable, Equatable {
    public var cursor: String
    /// Whether the API wrote the cursor as a JSON number (nil in states saved before this
    /// was recorded: then read as a config value is).
    public var cursorIsNumber: Bool?
    /// Content hashes (see `Page.contentHash`) of the records published with `cursor`.
    public var boundaryHashes: [UInt64]?
    public var records: Int
    public var completedAt: String

    public init(cursor: String, cursorIsNumber: Bool?, boundaryHashes: [UInt64]?, records: Int, completedAt: String) {
        self.cursor = cursor
        self.cursorIsNumber = cursorIsNumber
        self.boundaryHashes = boundaryHashes
        self.records = records
        self.completedAt = completedAt
    }

    enum CodingKeys: String, CodingKey {
        case cursor, records
        case cursorIsNumber = "cursor_is_number"
        case boundaryHashes = "boundary_hashes"
        case completedAt = "completed_at"
    }

    // Hashes are written as hex strings: JSON readers in other languages lose 64-bit integers.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        cursor = try c.decode(String.self, forKey: .cursor)
        cursorIsNumber = try c.decodeIfPresent(Bool.self, forKey: .cursorIsNumber)
        boundaryHashes = try c.decodeIfPresent([String].self, forKey: .boundaryHashes)?.compactMap { UInt64($0, radix: 16) }
        records = try c.decode(Int.self, forKey: .records)
        completedAt = try c.decode(String.self, forKey: .completedAt)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(cursor, forKey: .cursor)
        try c.encodeIfPresent(cursorIsNumber, forKey: .cursorIsNumber)
        try c.encodeIfPresent(boundaryHashes?.map { String($0, radix: 16) }, forKey: .boundaryHashes)
        try c.encode(records, forKey: .records)
        try c.encode(completedAt, forKey: .completedAt)
    }
}
