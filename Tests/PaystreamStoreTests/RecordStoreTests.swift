import Foundation
import Logging
@testable import PaystreamStore
import PaystreamMessageFormat
import Testing

@Suite struct RecordStoreTests {
    @Test func upsertsByPrimaryKeyWithTypedColumnsAndTheWholeDocument() throws {
        let f = try StoreFixture()
        let doc = #"{"id":"cus_1","updated_at":"2024-01-02T00:00:00.000Z","balance":-5,"rate":0.25,"vip":true,"address":{"city":"Lyon"},"tags":["a","b"],"phone":null}"#
        let summary = try f.store.write([Message(offset: 0, key: "cus_1", json: doc)])
        #expect(summary.upserted == 1)
        #expect(summary.nextOffsets == [TopicPartition(topic: "t.customers", partition: 0): 1])
        let rows = try f.rows("SELECT id, balance, typeof(balance), rate, vip, json_extract(address, '$.city'), json_array_length(tags), _paystream_document FROM customers")
        #expect(rows == [["cus_1", "-5", "integer", "0.25", "1", "Lyon", "2", doc]])
    }

    @Test func anOlderVersionNeverOverwritesANewerOne() throws {
        let f = try StoreFixture()
        let newer = #"{"id":"cus_1","updated_at":"2024-05-01T00:00:00.000Z","name":"new"}"#
        let older = #"{"id":"cus_1","updated_at":"2024-01-01T00:00:00.000Z","name":"old"}"#
        _ = try f.store.write([Message(offset: 0, key: "cus_1", json: newer), Message(offset: 1, key: "cus_1", json: older)])
        #expect(try f.rows("SELECT name FROM customers") == [["new"]])
        // A replay of the same batch changes nothing.
        _ = try f.store.write([Message(offset: 0, key: "cus_1", json: newer), Message(offset: 1, key: "cus_1", json: older)])
        #expect(try f.rows("SELECT count(*), name FROM customers") == [["1", "new"]])
        // A newer one does overwrite, and a field it lacks becomes NULL.
        _ = try f.store.write([Message(offset: 2, key: "cus_1", json: #"{"id":"cus_1","updated_at":"2024-06-01T00:00:00.000Z"}"#)])
        #expect(try f.rows("SELECT name FROM customers") == [[nil]])
    }

    @Test func aTombstoneDeletesTheRow() throws {
        let f = try StoreFixture()
        _ = try f.store.write([
            Message(offset: 0, key: "cus_1", json: #"{"id":"cus_1"}"#),
            Message(offset: 1, key: "cus_2", json: #"{"id":"cus_2"}"#),
            Message(offset: 2, key: "cus_1", json: nil),
        ])
        #expect(try f.rows("SELECT id FROM customers") == [["cus_2"]])
    }

    @Test func compoundKeysUpsertAndDelete() throws {
        let f = try StoreFixture(tables: ["t.lines": TableSpec(name: "lines", primaryKey: ["invoice", "line"])])
        let summary = try f.store.write([
            Message(offset: 0, key: #"["in_1",1]"#, json: #"{"invoice":"in_1","line":1,"amount":5}"#, topic: "t.lines"),
            Message(offset: 1, key: #"["in_1",2]"#, json: #"{"invoice":"in_1","line":2,"amount":6}"#, topic: "t.lines"),
            Message(offset: 2, key: #"["in_1",1]"#, json: nil, topic: "t.lines"),
        ])
        #expect(summary.upserted == 2 && summary.deleted == 1)
        #expect(try f.rows("SELECT invoice, line, amount FROM lines") == [["in_1", "2", "6"]])
    }

    @Test func badMessagesAreRejectedWithAReasonAndTheRestIsWritten() throws {
        let f = try StoreFixture()
        let summary = try f.store.write([
            Message(offset: 0, key: "x", json: "not json"),
            Message(offset: 1, key: "y", json: #"{"name":"no id"}"#),
            Message(offset: 2, key: "z", json: "[1,2]"),
            Message(offset: 3, key: "cus_1", json: #"{"id":"cus_1"}"#),
        ])
        #expect(summary.rejected.map(\.index) == [0, 1, 2])
        #expect(summary.rejected[0].reason.contains("not valid JSON"))
        #expect(summary.rejected[1].reason.contains("primary key"))
        #expect(summary.rejected[2].reason.contains("not an object"))
        #expect(try f.rows("SELECT id FROM customers") == [["cus_1"]])
        #expect(try f.store.nextOffsets() == [TopicPartition(topic: "t.customers", partition: 0): 4])
    }

    @Test func hostileFieldNamesAreStoredSafelyOrKeptInTheDocument() throws {
        let f = try StoreFixture()
        let long = String(repeating: "x", count: 300)
        let doc = """
            {"id":"cus_1","a\\"b":1,"drop table customers; --":2,"select":3,"with space":4,"é漢字":5,"\(long)":6,
             "ID":7,"_paystream_document":8,"":9,"nul\\u0000byte":10,"'quote'":11}
            """
        let summary = try f.store.write([Message(offset: 0, key: "cus_1", json: doc)])
        #expect(summary.upserted == 1)
        let row = try f.rows(#"SELECT "a""b", "drop table customers; --", "select", "with space", "é漢字", "\#(long)", "'quote'" FROM customers"#)
        #expect(row == [["1", "2", "3", "4", "5", "6", "11"]])
        // Case-insensitive duplicates, reserved, empty and NUL names stay in the document.
        let columns = try f.rows("SELECT name FROM pragma_table_info('customers')").compactMap { $0[0] }
        #expect(!columns.contains("ID") && !columns.contains(""))
        #expect(try f.rows("SELECT json_extract(_paystream_document, '$.ID') FROM customers") == [["7"]])
        #expect(try f.rows("SELECT count(*) FROM customers") == [["1"]])
    }

    @Test func thousandsOfDistinctFieldsDoNotStopTheStore() throws {
        let f = try StoreFixture()
        var messages: [Message] = []
        for i in 0..<30 {
            let fields = (0..<100).map { #""f\#(i)_\#($0)":\#($0)"# }.joined(separator: ",")
            messages.append(Message(offset: Int64(i), key: "cus_\(i)", json: #"{"id":"cus_\#(i)",\#(fields)}"#))
        }
        let summary = try f.store.write(messages)
        #expect(summary.upserted == 30)
        let columnCount = try f.rows("SELECT count(*) FROM pragma_table_info('customers')")[0][0].flatMap { Int($0) } ?? 0
        #expect(columnCount == TableWriter.maximumColumns)
        // Fields past the column limit are still in the document.
        #expect(try f.rows("SELECT json_extract(_paystream_document, '$.f29_99') FROM customers WHERE id = 'cus_29'") == [["99"]])
    }

    @Test func aFailedBatchRollsBackRowsOffsetsAndNewColumns() throws {
        let f = try StoreFixture()
        struct Refused: Error {}
        #expect(throws: Refused.self) {
            _ = try f.store.write([Message(offset: 0, key: "cus_1", json: #"{"id":"cus_1","new_field":1}"#)]) { _ in throw Refused() }
        }
        #expect(try f.rows("SELECT count(*) FROM customers") == [["0"]])
        #expect(try f.store.nextOffsets().isEmpty)
        // The store still works, and re-creates the column the rollback removed.
        _ = try f.store.write([Message(offset: 0, key: "cus_1", json: #"{"id":"cus_1","new_field":1}"#)])
        #expect(try f.rows("SELECT new_field FROM customers") == [["1"]])
    }

    @Test func offsetsSurviveReopening() throws {
        let f = try StoreFixture()
        _ = try f.store.write([Message(offset: 41, key: "cus_1", json: #"{"id":"cus_1"}"#, partition: 3)])
        let reopened = try RecordStore(path: f.path, tablesByTopic: ["t.customers": TableSpec(name: "customers", primaryKey: ["id"])], logger: .init(label: "t"))
        #expect(try reopened.nextOffsets() == [TopicPartition(topic: "t.customers", partition: 3): 42])
    }
}

@Suite struct RecordStoreColumnTests {
    @Test func aFieldFirstSeenAsNullBecomesAColumnWhenAValueArrives() throws {
        let f = try StoreFixture()
        _ = try f.store.write([
            Message(offset: 0, key: "cus_1", json: #"{"id":"cus_1","phone":null}"#),
            Message(offset: 1, key: "cus_2", json: #"{"id":"cus_2","phone":"+1555"}"#),
        ])
        #expect(try f.rows("SELECT id, phone FROM customers ORDER BY id") == [["cus_1", nil], ["cus_2", "+1555"]])
    }

    @Test func softDeleteMarksTheRowAndANewerVersionClearsTheMark() throws {
        let f = try StoreFixture(tables: ["t.customers": TableSpec(name: "customers", primaryKey: ["id"], softDelete: true)])
        _ = try f.store.write([
            Message(offset: 0, key: "cus_1", json: #"{"id":"cus_1","updated_at":"2024-01-01T00:00:00.000Z"}"#),
            Message(offset: 1, key: "cus_1", json: nil),
        ])
        #expect(try f.rows("SELECT count(*), count(_paystream_deleted_at) FROM customers") == [["1", "1"]])
        _ = try f.store.write([Message(offset: 2, key: "cus_1", json: #"{"id":"cus_1","updated_at":"2024-02-01T00:00:00.000Z"}"#)])
        #expect(try f.rows("SELECT count(*), count(_paystream_deleted_at) FROM customers") == [["1", "0"]])
    }
}
