/// dlt's paginators, with dlt's parameter names.
public enum PaginatorConfig: Sendable, Equatable {
    public struct Offset: Sendable, Equatable {
        public var limit = 100
        public var offset = 0
        public var offsetParam = "offset"
        public var limitParam = "limit"
        public var totalPath: String? = "total"
        public var maximumOffset: Int?
        public var stopAfterEmptyPage = true
        public var hasMorePath: String?

        public init() {}
    }

    public struct PageNumber: Sendable, Equatable {
        public var basePage = 0
        public var page: Int?
        public var pageParam = "page"
        public var totalPath: String? = "total"
        public var maximumPage: Int?
        public var stopAfterEmptyPage = true
        public var hasMorePath: String?

        public init() {}
    }

    public struct Cursor: Sendable, Equatable {
        public var cursorPath = "cursors.next"
        public var cursorParam = "cursor"

        public init() {}
    }

    case offset(Offset)
    case pageNumber(PageNumber)
    case cursor(Cursor)
    /// The next page's URL at `nextURLPath` in the body.
    case jsonLink(nextURLPath: String)
    /// The next page's URL in the RFC 8288 `Link` header with relation `links_next_key`.
    case headerLink(nextKey: String)
    case singlePage

    init(_ value: ConfigValue, at path: String) throws(ConfigError) {
        if case .string(let type) = value {
            try self.init(.object(["type": .string(type)]), at: path)
            return
        }
        var r = try ConfigReader(value, at: path)
        let type = try r.requiredString("type")
        switch type {
        case "offset":
            var p = Offset()
            p.limit = try r.int("limit") ?? p.limit
            p.offset = try r.int("offset") ?? p.offset
            p.offsetParam = try r.string("offset_param") ?? p.offsetParam
            p.limitParam = try r.string("limit_param") ?? p.limitParam
            p.totalPath = r.isNull("total_path") ? nil : try r.string("total_path") ?? p.totalPath
            p.maximumOffset = try r.int("maximum_offset")
            p.stopAfterEmptyPage = try r.bool("stop_after_empty_page") ?? p.stopAfterEmptyPage
            p.hasMorePath = try r.string("has_more_path")
            guard p.limit > 0 else { throw ConfigError(at: r.child("limit"), "must be positive") }
            self = .offset(p)
        case "page_number":
            var p = PageNumber()
            p.basePage = try r.int("base_page") ?? p.basePage
            p.page = try r.int("page")
            p.pageParam = try r.string("page_param") ?? p.pageParam
            p.totalPath = r.isNull("total_path") ? nil : try r.string("total_path") ?? p.totalPath
            p.maximumPage = try r.int("maximum_page")
            p.stopAfterEmptyPage = try r.bool("stop_after_empty_page") ?? p.stopAfterEmptyPage
            p.hasMorePath = try r.string("has_more_path")
            self = .pageNumber(p)
        case "cursor":
            var p = Cursor()
            p.cursorPath = try r.string("cursor_path") ?? p.cursorPath
            p.cursorParam = try r.string("cursor_param") ?? p.cursorParam
            self = .cursor(p)
        case "json_link":
            self = .jsonLink(nextURLPath: try r.string("next_url_path") ?? "next")
        case "header_link":
            self = .headerLink(nextKey: try r.string("links_next_key") ?? "next")
        case "single_page":
            self = .singlePage
        case "auto":
            throw ConfigError(at: r.child("type"), "'auto' is not supported: name the paginator so a mis-detection cannot silently load a single page")
        default:
            throw ConfigError(at: r.child("type"), "unknown paginator '\(type)' (known: offset, page_number, cursor, json_link, header_link, single_page)")
        }
        try r.finish()
    }
}
