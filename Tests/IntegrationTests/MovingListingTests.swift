import PaystreamMockAPI
import TestSupport
import Testing

/// The API lists in `updated_at` order, so every update moves a record to the end and
/// shifts everything behind it: the case where plain offset paging (dlt's) skips records.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct MovingListingTests {
    @Test(arguments: [1, 4])
    func updatesBehindTheCurrentPageLoseNothing(concurrency: Int) async throws {
        try await withMockAPI(records: 1000) { server, url in
            let config = try ReaderFixture.config(
                client: PaginatorAndAuthTests.apiKeyAuth, endpoint: "paginator: {type: offset, limit: 100}", baseURL: url
            )
            let before = ReaderFixture.current(server)
            let records = try await ReaderFixture.read(config, concurrency: concurrency) { pages in
                // After each page, move 25 records the reader has already passed to the end:
                // everything behind shifts down by 25, more than the pages overlap.
                guard pages < 8 else { return }
                for i in 0..<25 { server.dataset.update(.customers, index: (pages * 97 + i * 13) % 1000) }
            }
            let expected = ReaderFixture.current(server)
            var latest: [String: String] = [:]
            for (id, json) in records { latest[id] = json }
            #expect(Set(latest.keys) == Set(expected.keys), "missing \(Set(expected.keys).subtracting(latest.keys).count) records")
            // Moved records are met again at the end, in their newest version.
            #expect(latest == expected)
            // The listing did move under the reader: records the API now serves in a newer version.
            let moved = expected.filter { before[$0.key] != $0.value }.count
            #expect(moved >= 150, "only \(moved) records changed during the read")
        }
    }
}
