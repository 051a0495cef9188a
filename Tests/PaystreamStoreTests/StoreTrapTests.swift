import Foundation
import Logging
@testable import PaystreamStore
import PaystreamMessageFormat
import Testing

/// Records and store files that reach the store's unchecked corners: each is a row, a
/// rejected message or an error that says what is wrong, never a trap.
@Suite struct StoreTrapTests {
    /// An empty field name at the same place in consecutive records: the second is matched
    /// against the first by its (empty) bytes.
    @Test func anEmptyFieldNameInEveryRecordStaysInTheDocument() throws {
        let f = try StoreFixture()
        let summary = try f.store.write([
            Message(offset: 0, key: "cus_1", json: #"{"":1,"id":"cus_1"}"#),
            Message(offset: 1, key: "cus_2", json: #"{"":2,"id":"cus_2"}"#),
        ])
        #expect(summary.upserted == 2)
        #expect(try f.rows(#"SELECT id, json_extract(_paystream_document, '$.""') FROM customers ORDER BY id"#) == [["cus_1", "1"], ["cus_2", "2"]])
    }

    /// `_paystream_offsets` holding a partition no Kafka partition number can be (a damaged
    /// or hand-edited file).
    @Test func anOffsetsRowWithAnImpossiblePartitionIsAClearError() throws {
        let f = try StoreFixture()
        let db = try SQLiteDatabase(path: f.path)
        try db.execute("INSERT INTO _paystream_offsets (topic, partition, next_offset) VALUES ('t.customers', 4294967296, 5)")
        #expect {
            _ = try f.store.checkpoints()
        } throws: { error in
            "\(error)".contains("_paystream_offsets") && "\(error)".contains("4294967296") && "\(error)".contains("t.customers")
        }
    }
}
