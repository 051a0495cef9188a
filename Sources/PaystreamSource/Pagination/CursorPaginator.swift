import PaystreamConfig

/// The next page's cursor is in the body at `cursor_path`; sent back as `cursor_param`.
struct CursorPaginator: Paginator {
    let config: PaginatorConfig.Cursor

    func request(at position: ListingPosition?, from base: RESTRequest) -> RESTRequest {
        var request = base
        if case .cursor(let cursor)? = position { request.setQuery(config.cursorParam, cursor) }
        return request
    }

    func position(after fetched: FetchedPage, at position: ListingPosition?) -> ListingPosition {
        guard let cursor = fetched.signals.nextCursor, !cursor.isEmpty else { return .finished }
        return .cursor(next: cursor)
    }
}
