import PaystreamConfig
import PaystreamJSON

/// What a paginator learns from one page.
struct PageInfo {
    var recordCount: Int
    /// Scalar text at each of the paginator's `bodyPaths`; nil when absent or null.
    var bodyValues: [String?]
    var headers: [(name: String, value: String)]

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// Moves a request from one page to the next. Paginators stop exactly: when `has_more`,
/// a total or a short page already says the listing is over, no further request is made.
protocol Paginator: Sendable {
    /// Values the paginator needs from each response body.
    var bodyPaths: [JSONPath] { get }
    func prepareFirst(_ request: inout RESTRequest)
    /// Changes `request` into the next page's; false when there is no next page.
    mutating func advance(_ request: inout RESTRequest, after page: PageInfo) -> Bool
}

enum PaginatorFactory {
    /// Body values the configured paginator reads from every page.
    static func bodyPaths(_ config: PaginatorConfig) throws -> [JSONPath] {
        if case .offset(let c) = config { return try OffsetPaginator.bodyPaths(c) }
        return try make(config).bodyPaths
    }

    /// A sequential paginator; offset listings use `OffsetWalker` instead.
    static func make(_ config: PaginatorConfig) throws -> any Paginator {
        switch config {
        case .offset: preconditionFailure("offset listings are walked by OffsetWalker")
        case .pageNumber(let c): try PageNumberPaginator(c)
        case .cursor(let c): try CursorPaginator(c)
        case .jsonLink(let path): try JSONLinkPaginator(nextURLPath: JSONPath(parsing: path))
        case .headerLink(let key): HeaderLinkPaginator(nextKey: key)
        case .singlePage: SinglePagePaginator()
        }
    }
}

/// Reads a has-more flag or count from a page: nil when the API did not say.
enum PageSignal {
    static func bool(_ text: String?) -> Bool? {
        switch text?.lowercased() {
        case "true"?, "1"?: true
        case "false"?, "0"?: false
        default: nil
        }
    }
}

struct SinglePagePaginator: Paginator {
    var bodyPaths: [JSONPath] { [] }
    func prepareFirst(_ request: inout RESTRequest) {}
    mutating func advance(_ request: inout RESTRequest, after page: PageInfo) -> Bool { false }
}
