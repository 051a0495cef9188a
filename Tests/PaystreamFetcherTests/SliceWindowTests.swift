import Foundation
import PaystreamConfig
@testable import PaystreamFetcher
import PaystreamSource
import Testing

/// Slices of an incremental window: equal parts by time, every record in exactly one.
@Suite struct SliceWindowTests {
    private func window(_ initial: String, _ end: String, stored: CursorState? = nil) throws -> IncrementalWindow {
        let text = """
            client: {base_url: "http://x", paginator: single_page}
            resources: [{name: a, primary_key: id, endpoint: {path: /a, incremental: {cursor_path: updated_at, start_param: s, end_param: e, initial_value: "\(initial)", end_value: "\(end)"}}}]
            """
        let config = try #require(try ConfigLoader.parse(text, environment: [:]).resources[0].endpoint.incremental)
        return IncrementalWindow(config: config, stored: stored, now: Date())
    }

    @Test func partsMeetExactlyAndCoverTheWindow() throws {
        let whole = try window("2024-01-01T00:00:00.000Z", "2024-01-05T00:00:00.000Z")
        let parts = try (0..<4).map { try #require(whole.slice($0, of: 4)) }
        #expect(parts.map { $0.start!.text } == ["2024-01-01T00:00:00.000Z", "2024-01-02T00:00:00.000Z", "2024-01-03T00:00:00.000Z", "2024-01-04T00:00:00.000Z"])
        #expect(parts.last?.end?.text == "2024-01-05T00:00:00.000Z")
        for (a, b) in zip(parts, parts.dropFirst()) { #expect(a.end == b.start) }
        // A record on a boundary belongs to the later part only.
        let onBoundary = CursorValue(text: "2024-01-03T00:00:00.000Z", isNumber: false)
        #expect(parts.filter { $0.contains(onBoundary) }.count == 1 && parts[2].contains(onBoundary))
    }

    @Test func onlyTheFirstPartSkipsThePreviousRunsBoundaryRecords() throws {
        let stored = CursorState(cursor: "2024-01-02T00:00:00.000Z", cursorIsNumber: false, boundaryHashes: [42], records: 1, completedAt: "c")
        let whole = try window("2024-01-01T00:00:00.000Z", "2024-01-04T00:00:00.000Z", stored: stored)
        #expect(whole.slice(0, of: 2)?.boundary?.hashes == [42])
        #expect(whole.slice(1, of: 2)?.boundary == nil)
    }

    @Test func aCounterCannotBeSplitByTime() throws {
        let text = """
            client: {base_url: "http://x", paginator: single_page}
            resources: [{name: a, primary_key: id, endpoint: {path: /a, incremental: {cursor_path: seq, initial_value: "10", end_value: "20"}}}]
            """
        let config = try #require(try ConfigLoader.parse(text, environment: [:]).resources[0].endpoint.incremental)
        #expect(IncrementalWindow(config: config, stored: nil, now: Date()).slice(1, of: 2) == nil)
    }

    @Test func theSlicedRoundSavesTheLargestCursorAnySlicePublished() throws {
        let whole = try window("2024-01-01T00:00:00.000Z", "2030-01-01T00:00:00.000Z")
        let open = IncrementalWindow(start: whole.start, end: whole.end, pinned: whole.pinned, isBounded: false, boundary: nil, initial: whole.initial)
        let slices: [CursorProgress?] = [
            CursorProgress(last: CursorValue(text: "2024-01-02T00:00:00Z", isNumber: false), boundaryHashes: [1]),
            nil,
            CursorProgress(last: CursorValue(text: "2024-06-01T00:00:00Z", isNumber: false), boundaryHashes: [3, 4]),
            CursorProgress(last: nil, boundaryHashes: []),
        ]
        let saved = try #require(CursorTracker.merged(window: open, slices: slices, records: 9, completedAt: "c"))
        #expect(saved.cursor == "2024-06-01T00:00:00Z" && saved.boundaryHashes == [3, 4] && saved.records == 9)
    }

    @Test func slicesAreAColumnHintOnTheCursorOfAWindowWithBothEnds() throws {
        func resource(_ rest: String) throws -> ResourceConfig {
            let text = """
                client: {base_url: "http://x", paginator: {type: offset, limit: 10}}
                resources: [{name: a, primary_key: id, \(rest)}]
                """
            return try ConfigLoader.parse(text, environment: [:]).resources[0]
        }
        let window = "incremental: {cursor_path: updated_at, start_param: s, end_param: e, initial_value: \"2024-01-01T00:00:00Z\"}"
        // dlt's own column hints are accepted; x-paystream-slices is the one Paystream reads.
        #expect(try resource("columns: {updated_at: {x-paystream-slices: 4}, name: {data_type: text}}, endpoint: {path: /a, \(window)}").slices == 4)
        #expect(try resource("endpoint: {path: /a, \(window)}").slices == 1)
        #expect(throws: ConfigError.self, "no window to split") { try resource("columns: {updated_at: {x-paystream-slices: 4}}, endpoint: {path: /a}") }
        #expect(throws: ConfigError.self, "not the cursor's column") { try resource("columns: {created: {x-paystream-slices: 4}}, endpoint: {path: /a, \(window)}") }
        #expect(throws: ConfigError.self) { try resource("columns: {updated_at: {x-paystream-slices: 0}}, endpoint: {path: /a, \(window)}") }
    }
}
