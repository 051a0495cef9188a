import PaystreamConfig

/// `?page=N`, as dlt's `PageNumberPaginator`; `total_path` gives the number of pages.
struct PageNumberPaginator: Paginator {
    let config: PaginatorConfig.PageNumber

    func request(at position: ListingPosition?, from base: RESTRequest) -> RESTRequest {
        var request = base
        request.setQuery(config.pageParam, String(page(at: position)))
        return request
    }

    func position(after fetched: FetchedPage, at position: ListingPosition?) -> ListingPosition {
        let count = fetched.page.records.count
        let next = page(at: position) + 1
        var fullPageSize: Int?
        if case .pageNumber(_, let full)? = position { fullPageSize = full }
        let full = fullPageSize ?? count
        if let max = config.maximumPage, next > max { return .finished }
        // An empty page ends the listing whatever a total says (dlt's stop_after_empty_page):
        // a `total` that counts records, not pages, must not send the reader on for ever.
        if count == 0, config.stopAfterEmptyPage { return .finished }
        if let hasMore = fetched.signals.hasMore {
            if !hasMore { return .finished }
        } else if let totalPages = fetched.signals.total {
            if next - config.basePage >= totalPages { return .finished }
        } else if count == 0 || count < full {
            return .finished
        }
        return .pageNumber(next: next, fullPageSize: full)
    }

    private func page(at position: ListingPosition?) -> Int {
        if case .pageNumber(let next, _)? = position { return next }
        return config.page ?? config.basePage
    }
}
