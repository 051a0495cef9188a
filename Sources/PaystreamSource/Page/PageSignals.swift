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

/// Where in a body each signal is, for the configured paginator.
struct PageSignalPaths: Sendable {
    var hasMore: JSONPath?
    var total: JSONPath?
    var nextCursor: JSONPath?
    var nextURL: JSONPath?

    /// The paths in a fixed order, for one lookup pass.
    var all: [JSONPath?] { [hasMore, total, nextCursor, nextURL] }

    /// Signals from the scalar text found at each of `all` (nil where absent or null).
    static func signals(_ texts: [String?]) -> PageSignals {
        PageSignals(hasMore: bool(texts[0]), total: texts[1].flatMap { Int($0) }, nextCursor: texts[2], nextURL: texts[3])
    }

    /// A has-more flag as APIs write it; nil when the API did not say.
    static func bool(_ text: String?) -> Bool? {
        switch text?.lowercased() {
        case "true"?, "1"?: true
        case "false"?, "0"?: false
        default: nil
        }
    }
}
