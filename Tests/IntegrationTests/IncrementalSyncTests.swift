import Foundation
import PaystreamMockAPI
import TestSupport
import Testing

/// Incremental sync as dlt users configure it, against APIs whose cursors are not the
/// mock's default millisecond timestamps.
@Suite(.serialized, .timeLimit(.minutes(6)))
struct IncrementalSyncTests {
    static let initial = "initial_value: \"2023-01-01T00:00:00.000Z\""

    /// dlt's three ways to write an incremental endpoint, with dlt's meaning for each.
    @Test(arguments: [
        // dlt's current documented form: placeholders in params, the cursor in `incremental`.
        "params: {updated_since: \"{incremental.start_value}\", updated_before: \"{incremental.end_value}\"}, incremental: {cursor_path: updated_at, \(initial)}",
        "params: {updated_since: \"{incremental.last_value}\"}, incremental: {cursor_path: updated_at, \(initial)}",
        // The `{type: incremental}` mapping inside params.
        "params: {updated_since: {type: incremental, cursor_path: updated_at, \(initial)}}",
        // `incremental` with start_param / end_param.
        "incremental: {cursor_path: updated_at, start_param: updated_since, end_param: updated_before, \(initial)}",
    ])
    func everyDltIncrementalFormReadsOnlyWhatChangedTheSecondTime(endpoint: String) async throws {
        try await withMockAPI(records: 300) { server, url in
            let pipeline = try PipelineFixture(server: server, baseURL: url, endpoint: endpoint)
            let first = try await pipeline.runFetcher()
            #expect(first.status == 0, "\(first.stderr.suffix(3000))")
            #expect(try await pipeline.messages().count == 5 * 300)
            for resource in MockResource.allCases {
                for i in 0..<10 { server.dataset.update(resource, index: i * 7) }
                server.dataset.create(resource)
            }
            let second = try await pipeline.runFetcher()
            #expect(second.status == 0, "\(second.stderr.suffix(3000))")
            try await pipeline.expectTopicsHoldNewestVersions(atLeast: 5 * 300)
            // Only the window since the first run: the 11 changed records per resource.
            let published = try await pipeline.messages().count - 5 * 300
            #expect(published >= 5 * 11 && published < 5 * 30, "the second run published \(published) records")
        }
    }

    /// Second-resolution cursors: a record updated in the second a run pinned as its end,
    /// after the run read past it, must reach the topics by the next run.
    @Test func wholeSecondCursorsLoseNoUpdateMadeInTheSecondARunEnded() async throws {
        var options = MockListingOptions()
        options.cursorFormat = .seconds
        try await withMockAPI(records: 100, options: options) { server, url in
            let pipeline = try PipelineFixture(server: server, baseURL: url, incremental: true)
            for _ in 0..<3 {
                // Writes while the fetcher runs, up to the moment it exits.
                let (run, _) = try await whileWriting(to: server, pause: .milliseconds(10)) { try await pipeline.runFetcher() }
                #expect(run.status == 0, "\(run.stderr.suffix(3000))")
            }
            // The API shows whole seconds: let the second of the last write end first.
            try await Task.sleep(for: .milliseconds(1100))
            let last = try await pipeline.runFetcher()
            #expect(last.status == 0, "\(last.stderr.suffix(3000))")
            try await pipeline.expectTopicsHoldNewestVersions(atLeast: 5 * 100)
        }
    }

    /// A cursor that is a sequence number, not a time: it keeps its own values and never
    /// jumps to the fetcher's clock.
    @Test func aSequenceNumberCursorStaysASequenceNumber() async throws {
        var options = MockListingOptions()
        options.cursorFormat = .sequence
        try await withMockAPI(records: 200, options: options) { server, url in
            let pipeline = try PipelineFixture(
                server: server, baseURL: url,
                endpoint: "incremental: {cursor_path: updated_at, start_param: updated_since, end_param: updated_before, initial_value: 0}"
            )
            let first = try await pipeline.runFetcher()
            #expect(first.status == 0, "\(first.stderr.suffix(3000))")
            for resource in MockResource.allCases {
                for i in 0..<10 { server.dataset.update(resource, index: i * 13) }
            }
            let second = try await pipeline.runFetcher()
            #expect(second.status == 0, "\(second.stderr.suffix(3000))")
            try await pipeline.expectTopicsHoldNewestVersions(atLeast: 5 * 200)
            for (resource, cursor) in try await pipeline.savedCursors() {
                #expect(Int(cursor).map { $0 <= 210 } == true, "\(resource): saved cursor \(cursor) is not one of the API's sequence numbers")
            }
        }
    }

    /// No `initial_value`: the first saved cursor must be in the API's format (here integer
    /// epoch seconds), or every later run fails.
    @Test func withoutAnInitialValueTheSavedCursorHasTheAPIsFormat() async throws {
        var options = MockListingOptions()
        options.cursorFormat = .epochSeconds
        try await withMockAPI(records: 200, options: options) { server, url in
            let pipeline = try PipelineFixture(server: server, baseURL: url, endpoint: "incremental: {cursor_path: updated_at, start_param: updated_since}")
            let first = try await pipeline.runFetcher()
            #expect(first.status == 0, "\(first.stderr.suffix(3000))")
            for resource in MockResource.allCases {
                for i in 0..<10 { server.dataset.update(resource, index: i * 11) }
            }
            try await Task.sleep(for: .milliseconds(1100))
            let second = try await pipeline.runFetcher()
            #expect(second.status == 0, "\(second.stderr.suffix(3000))")
            try await pipeline.expectTopicsHoldNewestVersions(atLeast: 5 * 200)
            for (resource, cursor) in try await pipeline.savedCursors() {
                #expect(Int(cursor) != nil, "\(resource): saved cursor \(cursor) is not an epoch integer")
            }
        }
    }
}
