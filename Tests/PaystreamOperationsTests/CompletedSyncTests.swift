import Foundation
@testable import PaystreamStatus
import Testing

/// The newest completed sync, from checkpoints: the one the table's "last completed sync"
/// shows.
@Suite struct CompletedSyncTests {
    static func state(_ json: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8))
    }

    @Test func aCompletedSyncWithoutASavedCursorIsTheLastCompletedOne() throws {
        // Round 2 found nothing new: the cursor (and its time) stayed from round 1.
        let checkpoint = try Self.state(#"{"round": 2, "run": 2, "status": "completed", "published": 0, "updated_at": "t2", "cursor": "c", "records": 200, "completed_at": "t1"}"#)
        let sync = try #require(CompletedSync(units: [("customers", checkpoint)], record: checkpoint))
        #expect(sync == CompletedSync(round: 2, completedAt: "t2", records: 0))
    }

    @Test func aRunningOrFailedSyncLeavesTheOneThatSavedTheCursor() throws {
        for status in ["running", "failed"] {
            let checkpoint = try Self.state(#"{"round": 3, "run": 4, "status": "\#(status)", "published": 7, "updated_at": "t3", "cursor": "c", "records": 200, "completed_at": "t1"}"#)
            #expect(CompletedSync(units: [("customers", checkpoint)], record: checkpoint) == CompletedSync(round: nil, completedAt: "t1", records: 200))
        }
        let first = try Self.state(#"{"round": 1, "run": 1, "status": "running", "published": 7, "updated_at": "t0"}"#)
        #expect(CompletedSync(units: [("customers", first)], record: first) == nil)
    }

    @Test func aSlicedSyncIsCompletedWhenEverySliceIs() throws {
        let pin = try Self.state(#"{"round": 1, "run": 1, "status": "running", "slices": 2, "updated_at": "t0"}"#)
        let done = [("charges#0", try Self.state(#"{"round": 1, "status": "completed", "published": 40, "updated_at": "t2"}"#)),
                    ("charges#1", try Self.state(#"{"round": 1, "status": "completed", "published": 60, "updated_at": "t3"}"#))]
        #expect(CompletedSync(units: done.map { ($0.0, Optional($0.1)) }, record: pin) == CompletedSync(round: 1, completedAt: "t3", records: 100))
        let half = [done[0], ("charges#1", try Self.state(#"{"round": 1, "status": "running", "published": 10, "updated_at": "t1"}"#))]
        #expect(CompletedSync(units: half.map { ($0.0, Optional($0.1)) }, record: pin) == nil)
    }

    @Test func aStateFromBeforeFetcherGroupsIsACompletedSync() throws {
        let legacy = try Self.state(#"{"cursor": "c", "records": 12, "completed_at": "t1"}"#)
        #expect(CompletedSync(units: [("refunds", legacy)], record: legacy) == CompletedSync(round: nil, completedAt: "t1", records: 12))
    }
}
