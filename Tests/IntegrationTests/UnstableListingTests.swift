import Foundation
import PaystreamMockAPI
import TestSupport
import Testing

/// Offset listings as real APIs serve them: records whose bytes change on every request,
/// ties in a different order on every request, pages smaller than asked for.
@Suite(.serialized, .timeLimit(.minutes(8)))
struct UnstableListingTests {
    /// `"served_at":"…"` removed, to compare two reads of the same version.
    static func withoutServedAt(_ json: [UInt8]) -> [UInt8] {
        let text = String(decoding: json, as: UTF8.self)
        guard let range = text.range(of: #","served_at":""#) else { return json }
        let end = text[range.upperBound...].firstIndex(of: "\"")!
        return Array((text[..<range.lowerBound] + text[text.index(after: end)...]).utf8)
    }

    @Test func recordsThatDifferOnEveryRequestEndAndEveryRecordArrives() async throws {
        var options = MockListingOptions()
        options.volatileField = "served_at"
        try await withMockAPI(records: 20_000, options: options) { server, url in
            let pipeline = try PipelineFixture(server: server, baseURL: url)
            let fetch = try await pipeline.runFetcher(timeout: .seconds(240))
            #expect(fetch.status == 0, "\(fetch.stderr.suffix(3000))")
            try await pipeline.expectTopicsHoldNewestVersions(atLeast: 5 * 20_000, comparable: Self.withoutServedAt)
        }
    }

    /// Tie groups of up to 8 records share a second and come in a new order on every
    /// request, while the API is written to: one full sync and one incremental run later,
    /// nothing is missing or stale.
    @Test func tiesInUnstableOrderWithWritesDuringTheSyncLoseNothing() async throws {
        var options = MockListingOptions()
        options.cursorFormat = .seconds
        options.tieGroups = 8
        try await withMockAPI(records: 2000, options: options) { server, url in
            let pipeline = try PipelineFixture(server: server, baseURL: url, incremental: true)
            // Slow pages so that writes land while the fetcher pages; about 8 writes per
            // resource and second, so the new tie groups stay within 8 too.
            server.faults = MockFaults(rate: 1, kinds: [.slow])
            server.faults.slowDelay = .milliseconds(150)
            let (full, rounds) = try await whileWriting(to: server, pause: .milliseconds(150), createEvery: 5) {
                try await pipeline.runFetcher()
            }
            #expect(full.status == 0, "full sync: \(full.stderr.suffix(3000))")
            #expect(rounds > 3, "the API should have changed during the sync (\(rounds) write rounds)")

            server.faults = MockFaults()
            try await Task.sleep(for: .milliseconds(1100))
            let incremental = try await pipeline.runFetcher()
            #expect(incremental.status == 0, "incremental run: \(incremental.stderr.suffix(3000))")
            let total = MockResource.allCases.reduce(0) { $0 + server.dataset.count($1) }
            try await pipeline.expectTopicsHoldNewestVersions(atLeast: total)
        }
    }

    /// Asked for 1000, served 100: the walker moves by what it is served.
    @Test func anAPIThatCapsThePageSizeIsReadInAboutOneRequestPerServedPage() async throws {
        var options = MockListingOptions()
        options.pageSizeCap = 100
        try await withMockAPI(records: 2500, options: options) { server, url in
            let config = try ReaderFixture.config(client: PaginatorAndAuthTests.apiKeyAuth, endpoint: "paginator: {type: offset, limit: 1000}", baseURL: url)
            let before = server.requestCount
            let records = try await ReaderFixture.read(config)
            #expect(Set(records.map(\.0)) == Set(ReaderFixture.current(server).keys))
            let requests = server.requestCount - before
            #expect(requests <= 2500 / 90 + 4, "\(requests) requests for 25 served pages")
        }
    }
}
