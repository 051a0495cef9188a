import Foundation
import PaystreamConfig
@testable import PaystreamFetcher
import PaystreamSource
import Testing

/// The state topic's values: what a new owner resumes from and `paystream-status` reads.
@Suite struct UnitCheckpointTests {
    private func window() throws -> IncrementalWindow {
        let text = """
            client: {base_url: "http://x", paginator: single_page}
            resources: [{name: a, primary_key: id, endpoint: {path: /a, incremental: {cursor_path: updated_at, initial_value: "2024-01-01T00:00:00Z"}}}]
            """
        let config = try #require(try ConfigLoader.parse(text, environment: [:]).resources[0].endpoint.incremental)
        let stored = CursorState(cursor: "2024-01-03T00:00:00Z", cursorIsNumber: false, boundaryHashes: [7, UInt64.max], records: 2, completedAt: "t")
        return IncrementalWindow(config: config, stored: stored, now: Date(timeIntervalSince1970: 1_704_500_000))
    }

    @Test func aCheckpointRoundTripsWithEverythingAResumeNeeds() throws {
        var checkpoint = UnitCheckpoint(round: 3, run: 5, status: .running, updatedAt: "2026-11-30T00:00:00Z")
        checkpoint.window = try window()
        var position = OffsetPosition(offset: 1800)
        position.total = 5000
        checkpoint.position = .offset(position)
        checkpoint.progress = CursorProgress(last: CursorValue(text: "2024-01-04T00:00:00Z", isNumber: false), boundaryHashes: [1, UInt64.max])
        checkpoint.published = 1790
        checkpoint.scanFrom = [0: 120, 7: 3]
        checkpoint.saved = CursorState(cursor: "2024-01-03T00:00:00Z", cursorIsNumber: false, boundaryHashes: [9], records: 10, completedAt: "c")
        let json = try checkpoint.encoded()
        #expect(try JSONDecoder().decode(UnitCheckpoint.self, from: Data(json)) == checkpoint)
        // The saved cursor keeps the keys a cursor state always had: older readers still read it.
        let cursor = try JSONDecoder().decode(CursorState.self, from: Data(json))
        #expect(cursor.cursor == "2024-01-03T00:00:00Z" && cursor.records == 10)
        #expect(!String(decoding: json, as: UTF8.self).contains("18446744073709551615"), "64-bit hashes are hex strings")
    }

    @Test func aCursorStateFromBeforeGroupsIsACompletedRoundZero() throws {
        let legacy = #"{"completed_at":"2026-01-01T00:00:00Z","cursor":"2025-12-31T23:00:00.000Z","records":3}"#
        let checkpoint = try JSONDecoder().decode(UnitCheckpoint.self, from: Data(legacy.utf8))
        #expect(checkpoint.round == 0 && checkpoint.status == .completed)
        #expect(checkpoint.saved?.cursor == "2025-12-31T23:00:00.000Z")
        #expect(RoundTarget(seen: checkpoint) == RoundTarget(round: 1, firstRun: 1))
    }

    @Test func unknownFieldsAreIgnored() throws {
        let json = #"{"round":1,"run":1,"status":"completed","updated_at":"u","published":4,"added_by_a_later_version":{"x":1}}"#
        #expect(try JSONDecoder().decode(UnitCheckpoint.self, from: Data(json.utf8)).published == 4)
    }
}
