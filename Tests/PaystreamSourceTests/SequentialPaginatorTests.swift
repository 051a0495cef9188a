import NIOHTTP1
import PaystreamConfig
@testable import PaystreamSource
import Testing

/// The paginators that read one page at a time, driven by scripted pages.
@Suite struct SequentialPaginatorTests {
    private func fetched(records: Int, signals: PageSignals = PageSignals(), request: RESTRequest = RESTRequest(url: "https://api.test/v1/x")) -> FetchedPage {
        let page = Page(body: [], records: (0..<records).map { _ in PageRecord(range: 0..<0, key: [UInt8(ascii: "k")]) }, url: "")
        return FetchedPage(page: page, signals: signals, headers: [:], request: request)
    }

    @Test func pageNumberStopsAtAnEmptyPageWhateverTheTotalSays() {
        var config = PaginatorConfig.PageNumber()
        config.basePage = 1
        let paginator = PageNumberPaginator(config: config)
        let afterFirst = paginator.position(after: fetched(records: 100, signals: PageSignals(total: 250)), at: nil as ListingPosition?)
        #expect(afterFirst == .pageNumber(next: 2, fullPageSize: 100))
        let fourth = ListingPosition.pageNumber(next: 4, fullPageSize: 100)
        #expect(paginator.position(after: fetched(records: 0, signals: PageSignals(total: 250)), at: fourth) == ListingPosition.finished)
        #expect(paginator.request(at: fourth, from: RESTRequest(url: "https://api.test/x")).queryValue("page") == "4")
    }

    @Test func aCursorListingResumesFromItsPositionAndRefusesToLoop() async throws {
        let paginator = CursorPaginator(config: PaginatorConfig.Cursor())
        let next = ["": "c1", "c1": "c2", "c2": "c2"]
        let source = SequentialPageSource(paginator: paginator, base: RESTRequest(url: "https://api.test/x"), resource: "refunds") { request in
            let cursor = request.queryValue("cursor") ?? ""
            return FetchedPage(page: Page(body: [], records: [], url: ""), signals: PageSignals(nextCursor: next[cursor]), headers: [:], request: request)
        }
        var positions: [ListingPosition] = []
        do {
            _ = try await source.read(from: ListingPosition.cursor(next: "c1")) { _, position in positions.append(position) }
            Issue.record("expected the loop to be refused")
        } catch is PaginationLoopError {}
        #expect(positions == [ListingPosition.cursor(next: "c2")], "the read started at c1, not at the beginning")
    }

    @Test func aLinkPositionIsAbsoluteAndHoldsNoCredential() {
        var request = RESTRequest(url: "https://api.test/v1/x?limit=5")
        request.secretQueryNames = ["api_key"]
        let position = LinkPaginator(kind: .body).position(after: fetched(records: 5, signals: PageSignals(nextURL: "?page=2&api_key=echo"), request: request), at: nil)
        #expect(position == .link(next: "https://api.test/v1/x?page=2"))
    }
}
