import NIOHTTP1
/// A listing read page by page. Each page's new records are handed on in listing order
/// with the position after that page; reading can start at any position a previous read
/// handed on (nil: the beginning).
protocol PageSource: Sendable {
    func read(from position: ListingPosition?, _ handle: (Page, ListingPosition) async throws -> Void) async throws -> ListingSummary
}

/// How a listing was read.
public struct ListingSummary: Sendable, Equatable {
    /// Pages handed on.
    public var pages = 0
    /// HTTP requests for pages (retries not counted).
    public var requests = 0
    /// Pages asked for again because the listing moved under the reader.
    public var rereads = 0

    public init() {}
}

/// A fetched and parsed page with what its paginator reads from it.
struct FetchedPage: Sendable {
    var page: Page
    var signals: PageSignals
    var headers: HTTPHeaders
    /// The request that returned the page, before credentials were added.
    var request: RESTRequest

}

/// Requests one page (authentication, retries and parsing included).
typealias PageFetch = @Sendable (RESTRequest) async throws -> FetchedPage
