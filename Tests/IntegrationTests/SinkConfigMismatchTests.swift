import Foundation
import PaystreamMockAPI
import TestSupport
import Testing

/// A sink started on an existing store with a config whose primary key or cursor differs
/// from the store's stops before it writes anything, naming the table and both keys.
@Suite(.serialized, .timeLimit(.minutes(4)))
struct SinkConfigMismatchTests {
    /// A store built by the sink from the fixture's config; then the same store opened with
    /// the config edited by `edit`: exit status 2, the store's bytes and rows as they were.
    func expectRefused(_ edit: (String) -> String, mentioning expected: [String]) async throws {
        try await withMockAPI(records: 100) { server, url in
            let pipeline = try PipelineFixture(server: server, baseURL: url)
            #expect(try await pipeline.runFetcher().status == 0)
            #expect(try await pipeline.runSink().status == 0)
            let before = try Data(contentsOf: URL(fileURLWithPath: pipeline.databasePath))
            let rows = try pipeline.totalRows()

            var changed = pipeline
            changed.configPath = pipeline.configPath.replacingOccurrences(of: "pipeline.yaml", with: "changed.yaml")
            try edit(try String(contentsOfFile: pipeline.configPath, encoding: .utf8)).write(toFile: changed.configPath, atomically: true, encoding: .utf8)
            let result = try await changed.runSink()
            #expect(result.status == 2 && !result.wasSignaled, "\(result.status): \(result.stderr.suffix(3000))")
            for text in expected {
                #expect(result.stderr.contains(text), "stderr names \(text): \(result.stderr.suffix(2000))")
            }
            #expect(!result.stderr.contains("Fatal error"), "\(result.stderr.suffix(2000))")
            #expect(try Data(contentsOf: URL(fileURLWithPath: pipeline.databasePath)) == before, "the store file is untouched")
            #expect(try pipeline.totalRows() == rows)
        }
    }

    /// The issue's case: `Illegal instruction` (a force-unwrap in TableWriter) before.
    @Test func aPrimaryKeyThatIsNoColumnOfTheStoreStopsTheSinkBeforeAnyWrite() async throws {
        try await expectRefused({ $0.replacingOccurrences(of: "  - name: refunds\n", with: "  - name: refunds\n    primary_key: refund_id\n") },
                                mentioning: [#"table "refunds""#, "(id)", "(refund_id)"])
    }

    /// The issue's other case: a raw `ON CONFLICT clause does not match` before.
    @Test func anExistingColumnAsTheNewPrimaryKeyStopsTheSinkBeforeAnyWrite() async throws {
        try await expectRefused({ $0.replacingOccurrences(of: "  - name: refunds\n", with: "  - name: refunds\n    primary_key: charge\n") },
                                mentioning: [#"table "refunds""#, "(id)", "(charge)"])
    }

    /// Versions were compared by `updated_at`; comparing new ones by `created_at` would
    /// let an older version replace a newer one.
    @Test func anotherCursorStopsTheSinkBeforeAnyWrite() async throws {
        try await expectRefused({ $0.replacingOccurrences(of: "path: /v1/refunds,", with: "path: /v1/refunds, incremental: {cursor_path: created_at},") },
                                mentioning: [#"table "refunds""#, "updated_at", "created_at"])
    }
}
