import Foundation
import NIOHTTP1
import PaystreamBasics
import PaystreamConfig
import PaystreamJSON
@testable import PaystreamSource
import Synchronization
import Testing

/// The offset walker against a scripted listing (no HTTP): which offsets it asks for and
/// which records it hands on.
@Suite struct OffsetWalkerTests {
    /// A listing of records (id, version), served `pageSize` at a time at most, with or
    /// without `has_more`. `shuffleTies` lists equal versions in a new order per request;
    /// `volatile` adds a field that changes on every request; `churn` records, picked at
    /// random among the first `count`, leave the listing before each request is served
    /// (as records updated during an incremental sync leave its window).
    final class Listing: Sendable {
        struct Record: Sendable {
            var id: String
            var version: Int
        }

        let records: Mutex<[Record]>
        let pageSize: Int
        let signalsMore: Bool
        let signalsTotal: Bool
        let shuffleTies: Bool
        let volatile: Bool
        let churn: Int
        let count: Int
        let random = Mutex(SplitMix64(seed: 0x9E37_79B9_7F4A_7C15))
        let requested = Mutex<[Int]>([])
        /// Ids that left the listing.
        let removed = Mutex<Set<String>>([])
        static let parser = PageParser(
            dataSelector: JSONPath(components: ["data"]), primaryKey: [JSONPath(components: ["id"])], cursorPath: nil,
            versionPath: JSONPath(components: ["updated_at"]), signalPaths: PageSignalPaths(hasMore: JSONPath(components: ["has_more"]), total: JSONPath(components: ["total"]))
        )

        init(count: Int, pageSize: Int, signalsMore: Bool = true, signalsTotal: Bool = false, tieGroup: Int = 1, shuffleTies: Bool = false, volatile: Bool = false, churn: Int = 0) {
            records = Mutex((0..<count).map { Record(id: "r\($0)", version: $0 / tieGroup) })
            self.count = count
            self.churn = churn
            self.pageSize = pageSize
            self.signalsMore = signalsMore
            self.signalsTotal = signalsTotal
            self.shuffleTies = shuffleTies
            self.volatile = volatile
        }

        func page(_ request: RESTRequest) throws -> FetchedPage {
            let offset = Int(request.queryValue("offset")!)!, limit = Int(request.queryValue("limit")!)!
            requested.withLock { $0.append(offset) }
            for _ in 0..<churn { leave("r\(nextRandom() % UInt64(count))") }
            let (slice, more, total): ([Record], Bool, Int) = records.withLock { all in
                var listed = all
                if shuffleTies {
                    var start = 0
                    while start < listed.count {
                        var end = start + 1
                        while end < listed.count, listed[end].version == listed[start].version { end += 1 }
                        listed[start..<end].shuffle()
                        start = end
                    }
                }
                let end = min(listed.count, offset + min(limit, pageSize))
                return (offset < end ? Array(listed[offset..<end]) : [], end < listed.count, listed.count)
            }
            let items = slice.map { r in
                #"{"id":"\#(r.id)","updated_at":\#(r.version)"# + (volatile ? #","served_at":"\#(UUID())"}"# : "}")
            }
            let body = Array((#"{"data":["# + items.joined(separator: ",") + "]" + (signalsMore ? #","has_more":\#(more)"# : "") + (signalsTotal ? #","total":\#(total)"# : "") + "}").utf8)
            let parsed = try Self.parser.parse(body)
            return FetchedPage(page: Page(body: body, records: parsed.records, url: "test"), signals: parsed.signals, headers: [:], request: request)
        }

        private func leave(_ id: String) {
            records.withLock { all in
                guard let i = all.firstIndex(where: { $0.id == id }) else { return }
                all.remove(at: i)
                removed.withLock { _ = $0.insert(id) }
            }
        }

        /// SplitMix64 from a fixed seed: the same picks on every run (which request meets
        /// which picks depends on how concurrent requests interleave).
        private func nextRandom() -> UInt64 {
            random.withLock { $0.next() }
        }
    }

    private func walker(_ listing: Listing, limit: Int, concurrency: Int = 1) -> OffsetWalker {
        var config = PaginatorConfig.Offset()
        config.limit = limit
        return OffsetWalker(config: config, base: RESTRequest(url: "http://api.test/x"), concurrency: concurrency, resource: "test") { try listing.page($0) }
    }

    /// Reads the listing; `onPage` runs after each page with its number.
    private func walk(_ listing: Listing, limit: Int, concurrency: Int = 1, from position: ListingPosition? = nil,
                      onPage: (Int, ListingPosition) throws -> Void = { _, _ in }) async throws -> [String] {
        var seen: [String] = []
        var pages = 0
        _ = try await walker(listing, limit: limit, concurrency: concurrency).read(from: position) { page, position in
            pages += 1
            for r in page.records { seen.append(String(decoding: r.key, as: UTF8.self)) }
            try onPage(pages, position)
        }
        return seen
    }

    @Test func anAPIThatCapsPagesBelowTheLimitIsReadToTheEndByServedPages() async throws {
        let listing = Listing(count: 2300, pageSize: 100)
        let seen = try await walk(listing, limit: 1000)
        #expect(seen == (0..<2300).map { "r\($0)" })
        // Pages of 100 overlapping by 10: one request per 90 records.
        #expect(listing.requested.withLock { $0.count } <= 2300 / 90 + 2)
    }

    @Test func limitOneIsPlainOffsetPaging() async throws {
        let listing = Listing(count: 5, pageSize: 100)
        let seen = try await walk(listing, limit: 1)
        #expect(seen == ["r0", "r1", "r2", "r3", "r4"])
        #expect(listing.requested.withLock { $0 } == [0, 1, 2, 3, 4])
    }

    @Test func recordsMovingToTheEndAreNeitherSkippedNorLost() async throws {
        let listing = Listing(count: 300, pageSize: 100)
        let seen = try await walk(listing, limit: 100) { page, _ in
            guard page == 1 else { return }
            // 30 records the walker already passed get a new version and move to the end.
            listing.records.withLock { records in
                var moved = Array(records[10..<40])
                for i in moved.indices { moved[i].version = 1000 + i }
                records.removeSubrange(10..<40)
                records += moved
            }
        }
        #expect(Set(seen) == Set((0..<300).map { "r\($0)" }))
        #expect(Array(seen.suffix(30)) == (10..<40).map { "r\($0)" })
    }

    /// A busy API during an incremental sync: records updated while the walker pages leave
    /// its window, many of them from behind the walker, so the listing shifts down by more
    /// than the overlap between pages and shrinks well below what the walker has handed on.
    /// The walk must still end, within the request bound, with every record that stayed.
    @Test(arguments: Array(stride(from: 8, through: 40, by: 2)))
    func aListingThatShiftsAndShrinksOnEveryRequestIsReadWithinTheBound(churn: Int) async throws {
        let listing = Listing(count: 1500, pageSize: 100, signalsTotal: true, churn: churn)
        let seen = try await walk(listing, limit: 100, concurrency: 4)
        let stayed = Set((0..<1500).map { "r\($0)" }).subtracting(listing.removed.withLock { $0 })
        #expect(stayed.subtracting(seen).isEmpty, "skipped \(stayed.subtracting(seen).count) records that stayed")
        let requests = listing.requested.withLock { $0.count }
        #expect(requests <= OffsetWalker.requestBudget(records: 1500, pageSize: 100), "\(requests) requests for \(seen.count) records")
    }

    @Test func tiesListedInANewOrderOnEveryRequestAreNotSkipped() async throws {
        for _ in 0..<20 {
            let listing = Listing(count: 1000, pageSize: 100, tieGroup: 8, shuffleTies: true)
            let seen = try await walk(listing, limit: 100)
            #expect(Set(seen).count == 1000, "missing \(1000 - Set(seen).count) records")
            #expect(seen.count == 1000, "\(seen.count - Set(seen).count) records handed on twice")
        }
    }

    @Test func tieGroupsLargerThanTheOverlapAreCoveredByWideningIt() async throws {
        let listing = Listing(count: 600, pageSize: 100, tieGroup: 25, shuffleTies: true)
        let seen = try await walk(listing, limit: 100)
        #expect(Set(seen).count == 600)
    }

    @Test func recordsThatDifferOnEveryRequestAreMatchedByTheirVersion() async throws {
        let listing = Listing(count: 1000, pageSize: 100, volatile: true)
        let seen = try await walk(listing, limit: 100)
        #expect(Set(seen) == Set((0..<1000).map { "r\($0)" }))
        #expect(listing.requested.withLock { $0.count } == 11, "one request per 90 records")
    }

    @Test func withoutAVersionFieldVolatileRecordsEndInAClearErrorAfterBoundedRequests() async throws {
        let listing = Listing(count: 1000, pageSize: 100, volatile: true)
        var config = PaginatorConfig.Offset()
        config.limit = 100
        let parser = PageParser(dataSelector: JSONPath(components: ["data"]), primaryKey: [JSONPath(components: ["id"])], cursorPath: nil,
                                versionPath: nil, signalPaths: PageSignalPaths(hasMore: JSONPath(components: ["has_more"])))
        let walker = OffsetWalker(config: config, base: RESTRequest(url: "http://api.test/x"), concurrency: 1, resource: "charges") { request in
            var fetched = try listing.page(request)
            fetched.page.records = try parser.parse(fetched.page.body).records
            return fetched
        }
        do {
            _ = try await walker.read(from: nil) { _, _ in }
            Issue.record("expected the walk to give up")
        } catch let error as OffsetListingError {
            #expect("\(error)".contains("resource charges"))
            #expect("\(error)".contains("version_path"))
        }
        #expect(listing.requested.withLock { $0.count } <= OffsetWalker.requestBudget(records: 300, pageSize: 100))
    }

    @Test func aWalkResumesFromASavedPositionWithoutGapsOrRepeats() async throws {
        struct Stop: Error {}
        let listing = Listing(count: 750, pageSize: 100)
        var saved: ListingPosition?
        var first: [String] = []
        do {
            _ = try await walker(listing, limit: 100).read(from: nil) { page, position in
                first += page.records.map { String(decoding: $0.key, as: UTF8.self) }
                saved = position
                if first.count >= 270 { throw Stop() }
            }
        } catch is Stop {}
        // The position survives a trip through JSON, as a checkpoint would take.
        let restored = try JSONDecoder().decode(ListingPosition.self, from: try JSONEncoder().encode(saved))
        #expect(restored == saved)
        let rest = try await walk(listing, limit: 100, from: restored)
        #expect(first + rest == (0..<750).map { "r\($0)" })
    }

    @Test func anOlderVersionAfterANewerOneIsNotHandedOn() throws {
        func mark(_ json: String) throws -> RecordMark {
            let body = Array((#"{"data":["# + json + "]}").utf8)
            let record = try Listing.parser.parse(body).records[0]
            return body.withUnsafeBytes { RecordMark(record, in: $0) }
        }
        var seen = SeenRecords(capacity: 10)
        seen.remember(try mark(#"{"id":"x","updated_at":"2024-01-01T00:00:02Z"}"#))
        #expect(seen.verdict(try mark(#"{"id":"x","updated_at":"2024-01-01T00:00:01Z"}"#)) == .older)
        #expect(seen.verdict(try mark(#"{"id":"x","updated_at":"2024-01-01T00:00:02Z"}"#)) == .repeated)
        // The same version with other bytes (a volatile field, or a second change within the
        // version's precision) is handed on: nothing may be lost.
        #expect(seen.verdict(try mark(#"{"id":"x","updated_at":"2024-01-01T00:00:02Z","n":1}"#)) == .new)
        #expect(seen.verdict(try mark(#"{"id":"x","updated_at":"2024-01-01T00:00:03Z"}"#)) == .new)
    }
}

@Suite struct RESTRequestTests {
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

    @Test func aLinkKeepsItsQueryAndCredentialsAreAddedOnceAndStrippedWhenStored() {
        var request = RESTRequest(url: "https://api.example.com/v1/charges")
        request.secretQueryNames = ["api_key"]
        #expect(request.resolvingWithoutSecrets("/v1/charges?page=2&api_key=echoed&sig=a%2Fb") == "https://api.example.com/v1/charges?page=2&sig=a%2Fb")
        request.follow("/v1/charges?page=2&api_key=echoed&sig=a%2Fb")
        request.setQuery("api_key", "sk_live_1")
        #expect(request.url == "https://api.example.com/v1/charges?page=2&sig=a%2Fb&api_key=sk_live_1")
        #expect(request.redactedURL == "https://api.example.com/v1/charges?page=2&sig=a%2Fb&api_key=***")
    }
}
