import PaystreamConfig
import PaystreamJSON

/// Moves through a listing one page at a time (every paginator but offset, whose pages
/// `OffsetWalker` fetches ahead). Paginators hold no state: the position says where they are.
protocol Paginator: Sendable {
    /// The request for the page at `position` (nil: the first page).
    func request(at position: ListingPosition?, from base: RESTRequest) -> RESTRequest
    /// The position after `page`, which was read at `position`: `.finished` when the API's
    /// signals say it was the last. Paginators stop exactly: no request after that.
    func position(after page: FetchedPage, at position: ListingPosition?) -> ListingPosition
}

enum PaginatorFactory {
    /// Where in each body the configured paginator's signals are.
    static func signalPaths(_ config: PaginatorConfig) throws -> PageSignalPaths {
        func path(_ text: String?) throws -> JSONPath? { try text.map { try JSONPath(parsing: $0) } }
        return switch config {
        case .offset(let c): PageSignalPaths(hasMore: try path(c.hasMorePath), total: try path(c.totalPath))
        case .pageNumber(let c): PageSignalPaths(hasMore: try path(c.hasMorePath), total: try path(c.totalPath))
        case .cursor(let c): PageSignalPaths(nextCursor: try path(c.cursorPath))
        case .jsonLink(let p): PageSignalPaths(nextURL: try path(p))
        case .headerLink, .singlePage: PageSignalPaths()
        }
    }

    /// The page source for `config`: the offset walker or a one-page-at-a-time reader.
    static func source(
        _ config: PaginatorConfig, base: RESTRequest, concurrency: Int, resource: String, fetch: @escaping PageFetch
    ) -> any PageSource {
        let paginator: any Paginator
        switch config {
        case .offset(let c): return OffsetWalker(config: c, base: base, concurrency: concurrency, resource: resource, fetch: fetch)
        case .pageNumber(let c): paginator = PageNumberPaginator(config: c)
        case .cursor(let c): paginator = CursorPaginator(config: c)
        case .jsonLink: paginator = LinkPaginator(kind: .body)
        case .headerLink(let key): paginator = LinkPaginator(kind: .header(relation: key))
        case .singlePage: paginator = SinglePagePaginator()
        }
        return SequentialPageSource(paginator: paginator, base: base, resource: resource, fetch: fetch)
    }
}

struct SinglePagePaginator: Paginator {
    func request(at position: ListingPosition?, from base: RESTRequest) -> RESTRequest { base }
    func position(after page: FetchedPage, at position: ListingPosition?) -> ListingPosition { .finished }
}
