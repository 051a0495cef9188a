import Foundation
@testable import PaystreamStatus
import Testing

@Suite struct StatusRenderingTests {
    @Test func stateRecordsAreReadWhateverFieldsTheyCarry() throws {
        // Today's CursorState, a numeric cursor, and fields a newer fetcher might add.
        let json = #"{"cursor": 1700000000, "records": 12, "completed_at": "2026-11-30T01:00:00Z", "window": {"start": "a", "slices": [1, 2]}, "result": "ok"}"#
        let state = try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8))
        #expect(state["cursor"]?.text == "1700000000")
        #expect(state["records"]?.text == "12")
        #expect(state["completed_at"]?.text == "2026-11-30T01:00:00Z")
        #expect(state["window"]?["slices"] == .array([.number(1), .number(2)]))
        #expect(state["missing"] == nil)
        // Round trip: --json shows the record as the fetcher wrote it.
        let again = try JSONDecoder().decode(JSONValue.self, from: try JSONEncoder().encode(state))
        #expect(again == state)
    }

    static let status = PipelineStatus(
        brokers: ["kafka:9092"], topicPrefix: "paystream", stateTopic: "paystream._paystream_state",
        resources: [
            ResourceStatus(name: "customers", topic: "paystream.customers", topicExists: true, partitions: 2, messages: 250,
                           cursor: "2026-11-30T01:00:00.000Z", lastCompletedSync: "2026-11-30T01:00:01Z", lastSyncRecords: 250, state: nil),
            ResourceStatus(name: "refunds", topic: "paystream.refunds", topicExists: false, partitions: 0, messages: 0,
                           cursor: nil, lastCompletedSync: nil, lastSyncRecords: nil, state: nil),
        ],
        store: StoreStatus(path: "/data/paystream.sqlite", lag: 7, partitions: [
            PartitionStatus(topic: "paystream.customers", partition: 0, start: 0, end: 120, storedOffset: 120, lag: 0),
            PartitionStatus(topic: "paystream.customers", partition: 1, start: 0, end: 130, storedOffset: 123, lag: 7),
        ])
    )

    @Test func theTableShowsCursorsLastSyncsAndLagPerPartition() {
        let lines = StatusTable.render(Self.status).split(separator: "\n").map(String.init)
        #expect(lines.first == "Kafka kafka:9092 · topics paystream.<resource> · state in paystream._paystream_state")
        #expect(lines.contains { $0.hasPrefix("customers") && $0.contains("250") && $0.contains("2026-11-30T01:00:00.000Z") && $0.contains("250 records") })
        #expect(lines.contains { $0.hasPrefix("refunds") && $0.contains("(missing)") && $0.contains("none recorded") })
        #expect(lines.contains("Store /data/paystream.sqlite: lag 7 message(s)"))
        #expect(lines.contains { $0.hasPrefix("paystream.customers") && $0.hasSuffix("130            123    7") })
    }

    @Test func jsonUsesSnakeCaseKeys() throws {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let object = try #require(try JSONSerialization.jsonObject(with: try encoder.encode(Self.status)) as? [String: Any])
        let resources = try #require(object["resources"] as? [[String: Any]])
        #expect(resources[0]["last_completed_sync"] as? String == "2026-11-30T01:00:01Z")
        let store = try #require(object["store"] as? [String: Any])
        #expect(store["lag"] as? Int == 7)
        #expect((store["partitions"] as? [[String: Any]])?[1]["stored_offset"] as? Int == 123)
    }
}
