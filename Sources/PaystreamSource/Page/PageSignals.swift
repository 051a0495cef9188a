import PaystreamJSON

/// What a page says about the listing, by name: the values dlt's paginators read.
public struct PageSignals: Sendable, Equatable {
    /// `has_more_path`: whether more pages follow.
    public var hasMore: Bool?
    /// `total_path`: records (offset) or pages (page_number) in the listing.
    public var total: Int?
    /// `cursor_path` of the cursor paginator: the next page's cursor.
    public var nextCursor: String?
    /// `next_url_path` of the JSON link paginator: the next page's URL.
    public var nextURL: String?

    public init(hasMore: Bool? = nil, total: Int? = nil, nextCursor: String? = nil, nextURL: String? = nil) {
        self.hasMore = hasMore
        self.total = total
        self.nextCursor = nextCursor
        self.nextURL = nextURL
    }
}

extension PageSignals {
    enum Kind: Sendable {
        case hasMore, total, nextCursor, nextURL
    }

    /// Sets the signal `kind` from the scalar text found for it (nil: absent or null).
    mutating func set(_ kind: Kind, from text: String?) {
        switch kind {
        case .hasMore: hasMore = Self.bool(text)
        case .total: total = text.flatMap { Int($0) }
        case .nextCursor: nextCursor = text
        case .nextURL: nextURL = text
        }
    }

    /// A has-more flag as APIs write it; nil when the API did not say.
    private static func bool(_ text: String?) -> Bool? {
        switch text?.lowercased() {
        case "true"?, "1"?: true
        case "false"?, "0"?: false
        default: nil
        }
    }
}

/// Where in a body each signal is, for the configured paginator.
struct PageSignalPaths: Sendable {
    var hasMore: JSONPath?
    var total: JSONPath?
    var nextCursor: JSONPath?
    var nextURL: JSONPath?

    /// The signals to read, with their paths.
    var wanted: [(kind: PageSignals.Kind, path: JSONPath)] {
        [(.hasMore, hasMore), (.total, total), (.nextCursor, nextCursor), (.nextURL, nextURL)].compactMap { kind, path in path.map { (kind, $0) } }
    }
}
