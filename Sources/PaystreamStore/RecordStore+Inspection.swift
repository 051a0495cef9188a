import CSQLite
import Foundation
import PaystreamMessageFormat

extension RecordStore {
    /// The offsets a store file holds (next offset to read, per partition), read through a
    /// read-only connection: safe beside a running sink, and it never creates a file.
    public static func storedOffsets(inFileAt path: String) throws -> [TopicPartition: Int64] {
        guard FileManager.default.fileExists(atPath: path) else {
            throw SQLiteError(operation: "open \(path)", code: SQLITE_CANTOPEN, message: "no such file")
        }
        let db = try SQLiteDatabase(path: path, readOnly: true)
        try db.execute("PRAGMA busy_timeout = 5000", "set busy timeout")
        // No columns: the table does not exist (yet).
        guard !(try db.rows("PRAGMA table_info(\(OffsetsTable.name.sqlIdentifier))", "find offsets table")).isEmpty else { return [:] }
        var result: [TopicPartition: Int64] = [:]
        for row in try db.rows("SELECT topic, partition, next_offset FROM \(OffsetsTable.name.sqlIdentifier)", "read offsets") {
            guard let topic = row[0], let p = row[1].flatMap({ Int32($0) }), let o = row[2].flatMap({ Int64($0) }) else { continue }
            result[TopicPartition(topic: topic, partition: p)] = o
        }
        return result
    }
}
