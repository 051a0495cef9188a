import Foundation
import PaystreamConfig
@testable import PaystreamFetcher
import PaystreamSource
import Testing

/// Where a unit's next round begins, from checkpoints alone: a whole resource's next round
/// and a sliced resource's pinned rounds.
@Suite struct NextRoundTests {
    static let now = Date(timeIntervalSince1970: 1_704_450_030)

    private func incremental(initial: String = "2024-01-01T00:00:00Z") throws -> IncrementalConfig {
        let text = """
            client: {base_url: "http://x", paginator: single_page}
            resources: [{name: a, primary_key: id, endpoint: {path: /a, incremental: {cursor_path: updated_at, initial_value: "\(initial)"}}}]
            """
        return try #require(try ConfigLoader.parse(text, environment: [:]).resources[0].endpoint.incremental)
    }

    private func checkpoint(_ round: Int, run: Int, _ status: UnitCheckpoint.Status) -> UnitCheckpoint {
        UnitCheckpoint(round: round, run: run, status: status, updatedAt: "u")
    }

    private func saved(_ cursor: String) -> CursorState {
        CursorState(cursor: cursor, cursorIsNumber: false, boundaryHashes: [7], records: 3, completedAt: "c")
    }

    @Test func aResourcesNextRoundStartsFromItsSavedCursorAndKeepsTheScanStart() throws {
        let first = NextRound.unsliced(after: nil, incremental: try incremental(), now: Self.now)
        #expect((first.round, first.run, first.status) == (1, 1, .running))
        #expect(first.window?.start?.text == "2024-01-01T00:00:00Z", "a first round starts at initial_value")
        #expect(first.window?.end?.text == "2024-01-05T10:20:30Z", "and ends at the run's start")

        var previous = checkpoint(4, run: 6, .completed)
        previous.saved = saved("2024-01-03T00:00:00Z")
        previous.scanFrom = [0: 120, 1: 98]
        previous.position = .finished
        previous.published = 500
        let next = NextRound.unsliced(after: previous, incremental: try incremental(), now: Self.now)
        #expect((next.round, next.run, next.status) == (5, 7, .running))
        #expect(next.window?.start?.text == "2024-01-03T00:00:00Z")
        #expect(next.window?.boundary?.hashes == [7], "the previous round's boundary records are not published again")
        #expect(next.saved == previous.saved && next.scanFrom == previous.scanFrom)
        #expect(next.position == nil && next.published == 0, "the listing is read from its beginning")

        let full = NextRound.unsliced(after: previous, incremental: nil, now: Self.now)
        #expect(full.window == nil, "a resource without incremental reads everything every round")
    }

    @Test func slice0PinsTheFirstRoundAndTheOthersWaitForIt() throws {
        let config = try incremental()
        let slice0 = WorkUnit(resource: "a", slice: 0, slices: 3)
        let slice2 = WorkUnit(resource: "a", slice: 2, slices: 3)
        #expect(NextRound.slice(slice2, after: 0, record: nil, checkpoint: { _ in nil }, incremental: config, now: Self.now) == .wait)
        guard case .pin(let pin) = NextRound.slice(slice0, after: 0, record: nil, checkpoint: { _ in nil }, incremental: config, now: Self.now) else {
            Issue.record("slice 0 must pin the first round")
            return
        }
        #expect((pin.round, pin.run, pin.slices) == (1, 1, 3))
        #expect(pin.window?.start?.text == "2024-01-01T00:00:00Z")
        // Once pinned, every slice runs that round with the whole window.
        for unit in [slice0, slice2] {
            #expect(NextRound.slice(unit, after: 0, record: pin, checkpoint: { _ in nil }, incremental: config, now: Self.now) == .run(round: 1, window: pin.window!))
        }
    }

    @Test func theNextRoundIsPinnedOnlyAfterEverySliceCompletedAndFromTheCursorTheyReached() throws {
        let config = try incremental()
        let slice0 = WorkUnit(resource: "a", slice: 0, slices: 2)
        guard case .pin(var record) = NextRound.slice(slice0, after: 0, record: nil, checkpoint: { _ in nil }, incremental: config, now: Self.now) else {
            Issue.record("no pin")
            return
        }
        record.saved = nil
        var parts: [String: UnitCheckpoint] = [:]
        var done0 = checkpoint(1, run: 2, .completed)
        done0.progress = CursorProgress(last: CursorValue(text: "2024-01-02T00:00:00Z", isNumber: false), boundaryHashes: [1])
        done0.published = 10
        parts["a#0"] = done0
        parts["a#1"] = checkpoint(1, run: 2, .running)
        #expect(NextRound.slice(slice0, after: 1, record: record, checkpoint: { parts[$0] }, incremental: config, now: Self.now) == .wait,
                "slice 1 still runs round 1")

        var done1 = checkpoint(1, run: 3, .completed)
        done1.progress = CursorProgress(last: CursorValue(text: "2024-01-04T00:00:00Z", isNumber: false), boundaryHashes: [2, 3])
        done1.published = 20
        parts["a#1"] = done1
        guard case .pin(let next) = NextRound.slice(slice0, after: 1, record: record, checkpoint: { parts[$0] }, incremental: config, now: Self.now) else {
            Issue.record("slice 0 must pin round 2 once both slices completed round 1")
            return
        }
        #expect((next.round, next.run, next.slices) == (2, 2, 2))
        #expect(next.saved?.cursor == "2024-01-04T00:00:00Z", "the largest cursor any slice published")
        #expect(next.saved?.boundaryHashes == [2, 3] && next.saved?.records == 30)
        #expect(next.window?.start?.text == "2024-01-04T00:00:00Z")
        #expect(NextRound.slice(WorkUnit(resource: "a", slice: 1, slices: 2), after: 1, record: record, checkpoint: { parts[$0] }, incremental: config, now: Self.now) == .wait,
                "only slice 0 pins")
    }

    @Test func aRoundPinnedForAnotherNumberOfSlicesIsNotRun() throws {
        let config = try incremental()
        guard case .pin(let pinnedForThree) = NextRound.slice(WorkUnit(resource: "a", slice: 0, slices: 3), after: 0, record: nil, checkpoint: { _ in nil }, incremental: config, now: Self.now) else {
            Issue.record("no pin")
            return
        }
        // The config now asks for 2 slices: slice 1 of 2 must not run a part of a 3-way split.
        #expect(NextRound.slice(WorkUnit(resource: "a", slice: 1, slices: 2), after: 0, record: pinnedForThree, checkpoint: { _ in nil }, incremental: config, now: Self.now) == .wait)
    }
}
