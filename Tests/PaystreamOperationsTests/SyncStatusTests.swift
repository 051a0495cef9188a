import Foundation
import PaystreamFetcher
@testable import PaystreamStatus
import Testing

/// A resource's newest sync as its units' checkpoints tell it.
@Suite struct SyncStatusTests {
    static func unit(_ id: String, _ json: String) throws -> (id: String, state: JSONValue?) {
        (id, try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8)))
    }

    @Test func anyFailedUnitFailsTheSyncAndSaysWhy() throws {
        let sync = try #require(SyncStatus(units: [
            try Self.unit("charges#0", #"{"round": 3, "status": "completed", "updated_at": "t1"}"#),
            try Self.unit("charges#1", #"{"round": 3, "status": "failed", "error": "HTTP 500", "updated_at": "t2"}"#),
            try Self.unit("charges#2", #"{"round": 2, "status": "failed", "error": "an older round", "updated_at": "t0"}"#),
        ]))
        #expect(sync.result == .failed)
        #expect(sync.errors == ["charges#1: HTTP 500"])
        #expect(sync.unitsDone == 1)
        #expect(sync.updatedAt == "t2")
        let json = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(sync)) as? [String: Any])
        #expect(json["result"] as? String == "failed", "--json shows the word the fetcher wrote")
    }

    @Test func theSyncIsCompletedOnceEveryUnitIsAndRunningUntilThen() throws {
        let done = try #require(SyncStatus(units: [
            try Self.unit("a#0", #"{"round": 1, "status": "completed"}"#), try Self.unit("a#1", #"{"round": 1, "status": "completed"}"#),
        ]))
        #expect(done.result == .completed)
        // A status this reader does not know (a newer fetcher's) counts as running.
        let running = try #require(SyncStatus(units: [
            try Self.unit("a#0", #"{"round": 1, "status": "completed"}"#), try Self.unit("a#1", #"{"round": 1, "status": "paused"}"#),
        ]))
        #expect(running.result == .running)
        #expect(running.unitsDone == 1)
    }
}
