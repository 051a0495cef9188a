/// How the mock API lists records, so that it can behave like the APIs that exist and not
/// only like a well-behaved one. The defaults are the well-behaved API.
public struct MockListingOptions: Sendable {
    /// How `updated_at` is written and how `updated_since` / `updated_before` are read.
    public var cursorFormat = MockCursorFormat.millis
    /// Greater than 0: the initial records share their `updated_at` in groups of up to this
    /// many, and records with equal `updated_at` are listed in a new order on every request
    /// (many APIs sort by a coarse timestamp with no tie-breaker).
    public var tieGroups = 0
    /// A field added to every record whose value changes on every request (a served-at
    /// time), as signed URLs and render times do in real APIs.
    public var volatileField: String?
    /// Pages hold at most this many records whatever `limit` asks for (an API that caps the
    /// page size silently). Nil: `limit` above 100 is rejected with 400.
    public var pageSizeCap: Int?
    /// Every list request is answered `307` to this origin (same path and query).
    public var redirectTo: String?

    public init() {}
}

/// The cursor field's format. Time formats keep milliseconds internally and show them at
/// their own precision, so records updated within one second share a cursor value.
public enum MockCursorFormat: String, Sendable, CaseIterable {
    /// `2024-01-05T10:20:30.123Z`; filters take RFC 3339 or epoch milliseconds.
    case millis
    /// `2024-01-05T10:20:30Z`: whole seconds; filters take RFC 3339 or epoch milliseconds and
    /// compare with the second shown.
    case seconds
    /// `1704450030`: an integer of whole seconds; filters take integers (seconds) only.
    case epochSeconds = "epoch-seconds"
    /// `18231`: a change sequence number that grows with every write; filters take integers only.
    case sequence

    /// The value records are grouped by for ties: equal keys show equal cursors.
    func tieKey(_ record: MockDataset.RecordVersion) -> Int64 {
        switch self {
        case .millis: record.updatedAt
        case .seconds, .epochSeconds: record.updatedAt / 1000
        case .sequence: record.sequence
        }
    }

    /// A filter parameter as a bound on the listing, or nil when this API cannot read it.
    func bound(_ text: String) -> MockDataset.Bound? {
        switch self {
        case .millis, .seconds:
            let millis: Int64
            if let m = Int64(text) {
                millis = m
            } else if let parsed = MockClock.parse(text) ?? MockClock.parseLenient(text) {
                millis = parsed
            } else {
                return nil
            }
            // A seconds API compares the second it shows: `shown >= v` is `updatedAt >= ceil(v)`.
            return .millis(self == .seconds ? (millis + 999) / 1000 * 1000 : millis)
        case .epochSeconds:
            return Int64(text).map { .millis($0 * 1000) }
        case .sequence:
            return Int64(text).map { .sequence($0) }
        }
    }

    var filterSyntax: String {
        switch self {
        case .millis, .seconds: "RFC 3339 (2024-01-02T03:04:05.000Z) or epoch milliseconds"
        case .epochSeconds: "an integer of epoch seconds"
        case .sequence: "an integer sequence number"
        }
    }
}
