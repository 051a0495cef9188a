import Foundation
@testable import PaystreamStore
import Testing

/// Which version of a record the store keeps: cursors are compared by value (instants,
/// numbers), never as raw SQLite values; keys keep every byte.
@Suite struct NewestWinsTests {
    /// Writes the versions of `cus_1` in this order (one batch each) and returns the name the
    /// stored row ends with.
    private func survivor(_ versions: [(cursor: String, name: String)]) throws -> String? {
        let f = try StoreFixture()
        for (i, v) in versions.enumerated() {
            let cursor = v.cursor.isEmpty ? "" : #""updated_at":\#(v.cursor),"#
            _ = try f.store.write([Message(offset: Int64(i), key: "cus_1", json: #"{"id":"cus_1",\#(cursor)"name":"\#(v.name)"}"#)])
        }
        return try f.rows("SELECT name FROM customers")[0][0]
    }

    @Test func aFractionalSecondIsLaterThanTheWholeSecond() throws {
        #expect(try survivor([(#""2024-01-01T12:00:00Z""#, "old"), (#""2024-01-01T12:00:00.5Z""#, "new")]) == "new")
        #expect(try survivor([(#""2024-01-01T12:00:00.5Z""#, "new"), (#""2024-01-01T12:00:00Z""#, "old")]) == "new")
        #expect(try survivor([(#""2024-01-01T12:00:00.25Z""#, "old"), (#""2024-01-01T12:00:00.250001Z""#, "new")]) == "new")
    }

    @Test func utcOffsetsAreComparedAsInstants() throws {
        // 12:00+02:00 is 10:00Z: earlier than 11:00Z, though its text sorts after it.
        #expect(try survivor([(#""2024-01-01T11:00:00Z""#, "new"), (#""2024-01-01T12:00:00+02:00""#, "old")]) == "new")
        #expect(try survivor([(#""2024-01-01T12:00:00+02:00""#, "old"), (#""2024-01-01T11:00:00Z""#, "new")]) == "new")
        // An offset that moves the instant across midnight.
        #expect(try survivor([(#""2024-01-02T00:30:00+01:00""#, "old"), (#""2024-01-01T23:45:00Z""#, "new")]) == "new")
    }

    @Test func numbersCompareAsNumbersEvenWhenWrittenAsText() throws {
        #expect(try survivor([("10", "new"), ("9", "old")]) == "new")
        #expect(try survivor([("10", "new"), (#""9""#, "old")]) == "new")
        #expect(try survivor([(#""10""#, "new"), ("9.5", "old")]) == "new")
        #expect(try survivor([("2.5", "old"), ("3", "new")]) == "new")
    }

    @Test func aMissingCursorNeverOverwritesARowThatHasOne() throws {
        #expect(try survivor([(#""2024-01-01T12:00:00Z""#, "kept"), ("", "no cursor")]) == "kept")
        #expect(try survivor([(#""2024-01-01T12:00:00Z""#, "kept"), ("null", "null cursor")]) == "kept")
        // A row without a cursor takes any later version.
        #expect(try survivor([("", "first"), ("", "second")]) == "second")
        #expect(try survivor([("", "first"), (#""2024-01-01T12:00:00Z""#, "dated")]) == "dated")
    }

    @Test func anEqualCursorTakesTheLaterMessage() throws {
        #expect(try survivor([(#""2024-01-01T12:00:00Z""#, "first"), (#""2024-01-01T12:00:00.000Z""#, "second")]) == "second")
    }

    @Test func aReplayOfTheSameVersionWritesNothing() throws {
        // A soft-deleted row stays deleted when the version before its tombstone comes again.
        let f = try StoreFixture(tables: ["t.customers": TableSpec(name: "customers", primaryKey: ["id"], softDelete: true)])
        let version = Message(offset: 0, key: "cus_1", json: #"{"id":"cus_1","updated_at":"2024-01-01T00:00:00Z"}"#)
        _ = try f.store.write([version, Message(offset: 1, key: "cus_1", json: nil)])
        _ = try f.store.write([version])
        #expect(try f.rows("SELECT count(_paystream_deleted_at) FROM customers") == [["1"]])
    }

    @Test func keysWithANulByteAreTheirOwnRows() throws {
        let f = try StoreFixture()
        _ = try f.store.write([
            Message(offset: 0, key: "cus_1", json: #"{"id":"cus_1","name":"plain"}"#),
            Message(offset: 1, key: "cus_1\u{0}x", json: #"{"id":"cus_1\u0000x","name":"with nul"}"#),
        ])
        #expect(try f.rows("SELECT count(*) FROM customers") == [["2"]])
        #expect(try f.rows("SELECT name FROM customers WHERE id = 'cus_1'") == [["plain"]])
        #expect(try f.rows("SELECT length(CAST(id AS BLOB)), name FROM customers WHERE name = 'with nul'") == [["7", "with nul"]])
        // A tombstone keyed cus_1\0x deletes that row only.
        _ = try f.store.write([Message(offset: 2, key: "cus_1\u{0}x", json: nil)])
        #expect(try f.rows("SELECT id FROM customers") == [["cus_1"]])
    }

    @Test func keysThatAreNotValidUTF8AreRejectedNotFolded() throws {
        let f = try StoreFixture()
        _ = try f.store.write([Message(offset: 0, key: "cus_\u{FFFD}", json: #"{"id":"cus_\ufffd","name":"replacement char"}"#)])
        var badTombstone = Message(offset: 1, key: nil, json: nil)
        badTombstone.key = Array("cus_".utf8) + [0xFF]
        let summary = try f.store.write([
            badTombstone,
            Message(offset: 2, key: "x", json: #"{"id":"cus_\ud800","name":"lone surrogate"}"#),
            Message(offset: 3, key: "cus_2", json: #"{"id":"cus_2","name":"ok"}"#),
        ])
        #expect(summary.rejected.map(\.index) == [0, 1])
        #expect(summary.rejected.allSatisfy { $0.reason.contains("UTF-8") })
        // The row whose key really is U+FFFD is untouched, and the message after is stored.
        #expect(try f.rows("SELECT name FROM customers ORDER BY name") == [["ok"], ["replacement char"]])
    }

    @Test func invalidUTF8BytesInsideAKeyFieldAreRejected() throws {
        let f = try StoreFixture()
        var message = Message(offset: 0, key: "k", json: nil)
        message.value = Array(#"{"id":"cus_"#.utf8) + [0xC3, 0x28] + Array(#"","name":"bad"}"#.utf8)
        let summary = try f.store.write([message])
        #expect(summary.rejected.map(\.index) == [0])
        #expect(try f.rows("SELECT count(*) FROM customers") == [["0"]])
    }
}
