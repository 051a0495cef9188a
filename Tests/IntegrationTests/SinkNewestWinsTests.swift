import Foundation
import PaystreamKafka
import TestSupport
import Testing

/// Versions of records written to a topic by hand, in an order where comparing the raw
/// cursor text (or truncating keys at a NUL) keeps the wrong version.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct SinkNewestWinsTests {
    @Test func theNewestVersionWinsByValueAndKeysKeepEveryByte() async throws {
        try await withMockAPI(records: 1) { server, url in
            let pipeline = try PipelineFixture(server: server, baseURL: url)
            let topic = "\(pipeline.topicPrefix).customers"
            let admin = try KafkaAdmin(configuration: try TestBroker.client(), logger: KafkaFixtures.logger)
            try await admin.createTopics([KafkaNewTopic(name: topic, partitions: 1)])

            let tombstone: [UInt8]? = nil
            let messages: [([UInt8], [UInt8]?)] = [
                // A fractional second after the whole one.
                (key("cus_frac"), record("cus_frac", #""2024-01-01T12:00:00.5Z""#, "new")),
                (key("cus_frac"), record("cus_frac", #""2024-01-01T12:00:00Z""#, "old")),
                // 12:00+02:00 is 10:00Z.
                (key("cus_zone"), record("cus_zone", #""2024-01-01T11:00:00Z""#, "new")),
                (key("cus_zone"), record("cus_zone", #""2024-01-01T12:00:00+02:00""#, "old")),
                // Numbers as numbers, also when written as text.
                (key("cus_num"), record("cus_num", "10", "new")),
                (key("cus_num"), record("cus_num", #""9""#, "old")),
                // No cursor never beats a cursor.
                (key("cus_none"), record("cus_none", #""2024-01-01T00:00:00Z""#, "new")),
                (key("cus_none"), record("cus_none", nil, "old")),
                // Keys that differ after a NUL are different records.
                (key("cus_nul"), record("cus_nul", nil, "plain")),
                (key("cus_nul\u{0}x"), record(#"cus_nul\u0000x"#, nil, "with nul")),
                (key("cus_nul\u{0}y"), record(#"cus_nul\u0000y"#, nil, "deleted")),
                (key("cus_nul\u{0}y"), tombstone),
                // A key that is not UTF-8 is set aside, not folded into another key.
                (key("cus_") + [0xFF], tombstone),
            ]
            let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(client: try TestBroker.client()), logger: KafkaFixtures.logger)
            for (key, value) in messages { _ = try await producer.sendAndWait(topic: topic, key: key, value: value) }
            await producer.close()

            let sink = try await pipeline.runSink()
            #expect(sink.status == 0, "\(sink.stderr.suffix(3000))")
            let rows = try pipeline.rows("SELECT hex(id), name FROM customers ORDER BY id")
            #expect(rows == [
                [hex("cus_frac"), "new"], [hex("cus_none"), "new"], [hex("cus_nul"), "plain"],
                [hex("cus_nul\u{0}x"), "with nul"], [hex("cus_num"), "new"], [hex("cus_zone"), "new"],
            ])
            let dead = try await pipeline.messages(on: [pipeline.deadLetterTopic])
            #expect(dead.map(\.key) == [key("cus_") + [0xFF]])
            #expect(dead.first?.header("paystream.error")?.text?.contains("UTF-8") == true)
        }
    }

    private func key(_ text: String) -> [UInt8] { Array(text.utf8) }

    private func hex(_ text: String) -> String { text.utf8.map { String(format: "%02X", $0) }.joined() }

    /// A customer record; `cursor` is the `updated_at` JSON value, or nil for none.
    private func record(_ id: String, _ cursor: String?, _ name: String) -> [UInt8] {
        let updated = cursor.map { #""updated_at":\#($0),"# } ?? ""
        return Array(#"{"id":"\#(id)",\#(updated)"name":"\#(name)"}"#.utf8)
    }
}
