import PaystreamSource

/// What the state topic holds for one work unit, under the unit's id: which sync (round)
/// the unit is in and how far it got, committed in the same Kafka transaction as the
/// records it covers. A new owner resumes from it; `paystream-status` reads it. The format
/// is in the README ("State topic"); readers must ignore fields they do not know.
public struct UnitCheckpoint: Sendable, Equatable {
    public enum Status: String, Codable, Sendable {
        case running, completed, failed
    }

    /// The unit's sync this describes: 1 for its first, then one more per sync.
    public var round: Int
    /// Each stint of work on the unit (a new round, a resume, a takeover) has the next number.
    public var run: Int
    public var status: Status
    /// The round's incremental window, pinned when the round began.
    var window: IncrementalWindow?
    /// Where the round's listing resumes (nil: its beginning; `.finished` once read).
    public var position: ListingPosition?
    /// For an incremental round: the largest cursor published so far and its records.
    var progress: CursorProgress?
    /// Records published in this round.
    public var published: Int
    /// Per partition of the resource's topic, where records the unit may have sent in a
    /// transaction that was never committed can start (see `LeakedRecordScan`).
    public var scanFrom: [Int32: Int64]?
    /// Why the round failed.
    public var error: String?
    public var updatedAt: String
    /// The cursor the last completed round saved (dlt's `last_value`): the resource's
    /// cursor state, written with the same keys as before groups existed.
    public var saved: CursorState?
    /// Only on a sliced resource's own record: the number of slices of its current round.
    public var slices: Int?

    init(round: Int, run: Int, status: Status, updatedAt: String) {
        self.round = round
        self.run = run
        self.status = status
        self.published = 0
        self.updatedAt = updatedAt
    }
}

/// How far an incremental round got: the largest cursor value it published and the
/// records published with exactly that value.
struct CursorProgress: Codable, Sendable, Equatable {
    var last: CursorValue?
    var boundaryHashes: [UInt64]

    enum CodingKeys: String, CodingKey {
        case last
        case boundaryHashes = "boundary_hashes"
    }

    init(last: CursorValue?, boundaryHashes: [UInt64]) {
        self.last = last
        self.boundaryHashes = boundaryHashes
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        last = try c.decodeIfPresent(CursorValue.self, forKey: .last)
        boundaryHashes = try c.decode([String].self, forKey: .boundaryHashes).compactMap { UInt64($0, radix: 16) }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(last, forKey: .last)
        try c.encode(boundaryHashes.map { String($0, radix: 16) }, forKey: .boundaryHashes)
    }
}
