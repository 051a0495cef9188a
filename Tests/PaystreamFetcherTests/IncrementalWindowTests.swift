import Foundation
import PaystreamConfig
@testable import PaystreamFetcher
import PaystreamSource
import Testing

/// The incremental window and what a run saves, without a broker.
@Suite struct IncrementalWindowTests {
    static let now = Date(timeIntervalSince1970: 1_704_450_030.437)

    private func config(_ yaml: String) throws -> IncrementalConfig {
        let text = """
            client: {base_url: "http://x", paginator: single_page}
            resources: [{name: a, primary_key: id, endpoint: {path: /a, incremental: \(yaml)}}]
            """
        return try #require(try ConfigLoader.parse(text, environment: [:]).resources[0].endpoint.incremental)
    }

    private func state(_ cursor: String, number: Bool = false, hashes: [UInt64] = []) -> CursorState {
        CursorState(cursor: cursor, cursorIsNumber: number, boundaryHashes: hashes, records: 1, completedAt: "")
    }

    @Test func theWindowStartsAtTheLastValueAndEndsAtTheRunsStartWrittenTheAPIsWay() throws {
        let window = IncrementalWindow(config: try config("{cursor_path: updated_at}"), stored: state("2024-01-05T10:00:00Z"), now: Self.now)
        #expect(window.start?.text == "2024-01-05T10:00:00Z")
        #expect(window.end?.text == "2024-01-05T10:20:30Z", "whole seconds, like the API's values")
        #expect(window.contains(CursorValue(text: "2024-01-05T10:00:00Z", isNumber: false)), "the start is included")
        #expect(!window.contains(CursorValue(text: "2024-01-05T09:59:59Z", isNumber: false)))
        #expect(!window.contains(CursorValue(text: "2024-01-05T10:20:30Z", isNumber: false)), "the end is left to the next run")
    }

    @Test func lagReachesBackButNeverPastTheInitialValue() throws {
        let c = try config("{cursor_path: updated_at, lag: 3600, initial_value: \"2024-01-05T09:30:00Z\"}")
        #expect(IncrementalWindow(config: c, stored: state("2024-01-05T10:00:00Z"), now: Self.now).start?.text == "2024-01-05T09:30:00Z")
        #expect(IncrementalWindow(config: c, stored: state("2024-01-05T12:00:00Z"), now: Self.now).start?.text == "2024-01-05T11:00:00Z")
    }

    @Test func aCounterCursorHasNoEndFromTheClockAndStaysACounter() throws {
        let window = IncrementalWindow(config: try config("{cursor_path: seq, initial_value: 0}"), stored: state("18231", number: true), now: Self.now)
        #expect(window.start == CursorValue(text: "18231", isNumber: true))
        #expect(window.end == nil)
        #expect(window.contains(CursorValue(text: "99999999999", isNumber: true)))
        var tracker = CursorTracker(window: window)
        #expect(tracker.admit(CursorValue(text: "18240", isNumber: true)) { 1 })
        #expect(tracker.state(records: 1, completedAt: "")?.cursor == "18240")
        #expect(tracker.state(records: 1, completedAt: "")?.cursorIsNumber == true)
    }

    @Test func aFirstRunWithoutInitialValueEndsAtTheRunsStartForTimeCursors() throws {
        let window = IncrementalWindow(config: try config("{cursor_path: updated_at}"), stored: nil, now: Self.now)
        #expect(window.start == nil && window.end == nil)
        #expect(window.contains(CursorValue(text: "1704450030", isNumber: true)))
        #expect(!window.contains(CursorValue(text: "1704450031", isNumber: true)), "epoch seconds after the run's start")
        #expect(!window.contains(CursorValue(text: "2024-01-05T10:20:31Z", isNumber: false)))
    }

    @Test func theSavedCursorIsTheLargestPublishedWithItsBoundaryAndTheNextRunSkipsThatBoundary() throws {
        let c = try config("{cursor_path: updated_at}")
        var tracker = CursorTracker(window: IncrementalWindow(config: c, stored: nil, now: Self.now))
        for (cursor, hash) in [("2024-01-05T10:00:01Z", 1), ("2024-01-05T10:00:03Z", 2), ("2024-01-05T10:00:02Z", 3), ("2024-01-05T10:00:03.000Z", 4)] {
            #expect(tracker.admit(CursorValue(text: cursor, isNumber: false)) { UInt64(hash) })
        }
        let saved = try #require(tracker.state(records: 4, completedAt: ""))
        #expect(saved.cursor == "2024-01-05T10:00:03Z")
        #expect(saved.boundaryHashes == [2, 4])

        var next = CursorTracker(window: IncrementalWindow(config: c, stored: saved, now: Self.now))
        #expect(!next.admit(CursorValue(text: "2024-01-05T10:00:03Z", isNumber: false)) { 2 }, "published by the previous run")
        #expect(next.admit(CursorValue(text: "2024-01-05T10:00:03Z", isNumber: false)) { 5 }, "changed again within the same second")
        #expect(!next.admit(CursorValue(text: "2024-01-05T10:00:02Z", isNumber: false)) { 6 }, "before the window")
        #expect(try #require(next.state(records: 1, completedAt: "")).boundaryHashes.map(Set.init) == [2, 4, 5])
    }

    @Test func nothingNewOrABoundedBackfillLeavesTheStoredCursor() throws {
        let open = CursorTracker(window: IncrementalWindow(config: try config("{cursor_path: updated_at}"), stored: state("2024-01-05T10:00:00Z"), now: Self.now))
        #expect(open.state(records: 0, completedAt: "") == nil)
        var bounded = CursorTracker(window: IncrementalWindow(
            config: try config("{cursor_path: updated_at, initial_value: \"2024-01-01T00:00:00Z\", end_value: \"2024-01-02T00:00:00Z\"}"), stored: nil, now: Self.now
        ))
        #expect(bounded.admit(CursorValue(text: "2024-01-01T12:00:00Z", isNumber: false)) { 1 })
        #expect(!bounded.admit(CursorValue(text: "2024-01-02T00:00:00Z", isNumber: false)) { 2 })
        #expect(bounded.state(records: 1, completedAt: "") == nil)
    }

    @Test func statesSavedBeforeAndAfterThisVersionAreRead() throws {
        let old = try JSONDecoder().decode(CursorState.self, from: Data(#"{"completed_at":"x","cursor":"2026-01-01T00:00:00.000Z","records":3}"#.utf8))
        #expect(old.cursorIsNumber == nil && old.boundaryHashes == nil)
        let new = CursorState(cursor: "17", cursorIsNumber: true, boundaryHashes: [UInt64.max, 1], records: 2, completedAt: "y")
        #expect(try JSONDecoder().decode(CursorState.self, from: JSONEncoder().encode(new)) == new)
    }
}
