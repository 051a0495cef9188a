import Foundation
import PaystreamMockAPI
import TestSupport
import Testing

/// The fetcher executable against an API that changes and fails while it pages.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct FetcherResilienceTests {
    @Test func recordsUpdatedAndCreatedDuringASyncAreAllNewestAfterOneMoreIncrementalRun() async throws {
        try await withMockAPI(records: 1500) { server, url in
            let pipeline = try PipelineFixture(server: server, baseURL: url, incremental: true)
            // Slow pages so that writes land while the fetcher pages, paced by the requests the
            // API answers so that the listing moves as much per page on a loaded machine as on an
            // idle one: 8 rounds a request move it by more than the pages overlap (CI met that by
            // the clock under load, and the walker gave up: "did not settle after 42 requests").
            server.faults = MockFaults(rate: 1, kinds: [.slow])
            server.faults.slowDelay = .milliseconds(40)
            let (first, rounds) = try await whileWriting(to: server, pause: .milliseconds(2), createEvery: 10, roundsPerRequest: 8) {
                try await pipeline.runFetcher()
            }
            #expect(first.status == 0, "first sync: \(first.stderr.suffix(3000))")
            #expect(rounds > 50, "the API should have changed during the sync (\(rounds) write rounds)")
            let cursorsAfterFirst = try await pipeline.savedCursors()
            #expect(cursorsAfterFirst.count == 5)

            server.faults = MockFaults()
            let second = try await pipeline.runFetcher()
            #expect(second.status == 0, "second sync: \(second.stderr.suffix(3000))")
            let total = MockResource.allCases.reduce(0) { $0 + server.dataset.count($1) }
            try await pipeline.expectTopicsHoldNewestVersions(atLeast: total)
            let cursorsAfterSecond = try await pipeline.savedCursors()
            // A resource whose first sync failed has no first cursor: a failed expectation
            // above, not a crash of the whole test process here.
            for (resource, cursor) in cursorsAfterSecond {
                #expect(cursorsAfterFirst[resource].map { cursor > $0 } ?? false, "\(resource): \(cursor) after \(cursorsAfterFirst[resource] ?? "no cursor")")
            }
        }
    }

    @Test func transientFaultsOnEightPercentOfRequestsLoseNothing() async throws {
        try await withMockAPI(records: 1200) { server, url in
            let pipeline = try PipelineFixture(server: server, baseURL: url)
            server.faults = MockFaults(rate: 0.08, kinds: [.tooManyRequests, .serverError, .unavailable, .dropConnection])
            let before = server.requestCount
            let fetch = try await pipeline.runFetcher()
            #expect(fetch.status == 0, "\(fetch.stderr.suffix(3000))")
            #expect(server.requestCount - before > 5 * 14, "faults should have caused retries")
            try await pipeline.expectTopicsHoldNewestVersions(atLeast: 5 * 1200)
        }
    }

    @Test func aTruncatedPageFailsTheResourceClearlyKeepsTheCursorAndARerunCompletes() async throws {
        try await withMockAPI(records: 300) { server, url in
            let pipeline = try PipelineFixture(server: server, baseURL: url, incremental: true)
            server.faults = MockFaults(truncateRate: 1)
            let failed = try await pipeline.runFetcher()
            #expect(failed.status == 1)
            #expect(failed.stderr.contains("not valid JSON"))
            #expect(failed.stderr.contains("resource customers") && failed.stderr.contains("api_key=***"))
            #expect(!failed.stderr.contains(pipeline.apiKey))
            #expect(try await pipeline.savedCursors().isEmpty, "no cursor may move past a page that was not published")

            server.faults = MockFaults()
            let rerun = try await pipeline.runFetcher()
            #expect(rerun.status == 0, "\(rerun.stderr.suffix(3000))")
            try await pipeline.expectTopicsHoldNewestVersions(atLeast: 5 * 300)
            #expect(try await pipeline.savedCursors().count == 5)
        }
    }
}
