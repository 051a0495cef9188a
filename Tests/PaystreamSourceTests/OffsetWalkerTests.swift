import PaystreamConfig
@testable import PaystreamSource
import Synchronization
import Testing

/// The offset walker against a scripted listing (no HTTP): which offsets it asks for and
/// which records it hands on.
@Suite struct OffsetWalkerTests {
    /// A listing of `ids`, served `pageSize` at a time at most, with or without `has_more`.
    final class Listing: Sendable {
        let ids: Mutex<[String]>
        let pageSize: Int
        let signalsMore: Bool
        let requested = Mutex<[Int]>([])

        init(count: Int, pageSize: Int, signalsMore: Bool) {
            ids = Mutex((0..<count).map { "r\($0)" })
            self.pageSize = pageSize
            self.signalsMore = signalsMore
        }

        func page(at offset: Int, limit: Int) -> FetchedPage {
            requested.withLock { $0.append(offset) }
            let (slice, more): ([String], Bool) = ids.withLock { ids in
                let end = min(ids.count, offset + min(limit, pageSize))
                return (offset < end ? Array(ids[offset..<end]) : [], end < ids.count)
            }
            var body: [UInt8] = []
            var records: [PageRecord] = []
            for id in slice {
                let start = body.count
                body += Array("{\"id\":\"\(id)\"}".utf8)
                records.append(PageRecord(range: start..<body.count, key: Array(id.utf8), cursor: nil))
            }
            return FetchedPage(
                page: Page(body: body, records: records, url: "test"),
                identities: records.map { RecordIdentity(key: $0.key, body: body[$0.range]) },
                hasMore: signalsMore ? more : nil, total: nil, paginatorValues: [], headers: []
            )
        }
    }

    private func walk(_ listing: Listing, limit: Int, onPage: @escaping (Int) -> Void = { _ in }) async throws -> [String] {
        var config = PaginatorConfig.Offset()
        config.limit = limit
        let walker = OffsetWalker(config: config, concurrency: 1) { offset in listing.page(at: offset, limit: limit) }
        var seen: [String] = []
        var pages = 0
        _ = try await walker.walk { fetched, firstNew in
            pages += 1
            for r in fetched.page.records[firstNew...] { seen.append(String(decoding: r.key, as: UTF8.self)) }
            onPage(pages)
        }
        return seen
    }

    @Test func anAPIThatCapsPagesBelowTheLimitIsReadToTheEnd() async throws {
        let listing = Listing(count: 230, pageSize: 50, signalsMore: true)
        let seen = try await walk(listing, limit: 100)
        #expect(seen == (0..<230).map { "r\($0)" })
    }

    @Test func limitOneIsPlainOffsetPaging() async throws {
        let listing = Listing(count: 5, pageSize: 100, signalsMore: true)
        let seen = try await walk(listing, limit: 1)
        #expect(seen == ["r0", "r1", "r2", "r3", "r4"])
        #expect(listing.requested.withLock { $0 } == [0, 1, 2, 3, 4])
    }

    @Test func recordsMovingToTheEndAreNeitherSkippedNorLost() async throws {
        let listing = Listing(count: 300, pageSize: 100, signalsMore: true)
        let seen = try await walk(listing, limit: 100) { page in
            guard page == 1 else { return }
            // 30 records the walker already passed move to the end of the listing.
            listing.ids.withLock { ids in
                let moved = Array(ids[10..<40])
                ids.removeSubrange(10..<40)
                ids += moved
            }
        }
        #expect(Set(seen) == Set((0..<300).map { "r\($0)" }))
        #expect(Array(seen.suffix(30)) == (10..<40).map { "r\($0)" })
    }
}

@Suite struct RESTRequestTests {
    @Test func linksResolveAgainstTheCurrentURL() {
        let request = RESTRequest(url: "https://api.example.com/v1/charges?offset=0")
        #expect(request.resolve("https://other.example/x") == "https://other.example/x")
        #expect(request.resolve("/v1/charges?page=2") == "https://api.example.com/v1/charges?page=2")
        #expect(request.resolve("?page=2") == "https://api.example.com/v1/charges?page=2")
        #expect(request.resolve("refunds?page=2") == "https://api.example.com/v1/refunds?page=2")
    }

    @Test func secretsAreRedactedByNameAndByValue() {
        var request = RESTRequest(url: "https://api.example.com/v1/charges")
        request.secretQueryNames = ["api_key"]
        request.secretValues = ["tok_123"]
        request.setQuery("api_key", "sk_live_1")
        request.setQuery("token", "tok_123")
        request.setQuery("limit", "100")
        #expect(request.redactedURL == "https://api.example.com/v1/charges?api_key=***&token=***&limit=100")
        #expect(request.url.contains("sk_live_1"))
    }
}
