import CSQLite

/// One SQLite connection. Confined to the thread that uses it (the sink's worker thread);
/// it is not shared, so it is opened without SQLite's own mutex.
final class SQLiteDatabase {
    let handle: OpaquePointer

    /// `readOnly`: for tools that inspect a store while a sink writes it (WAL lets them).
    init(path: String, readOnly: Bool = false) throws {
        var db: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close(db)
            throw SQLiteError(operation: "open \(path)", code: rc, message: message)
        }
        handle = db
        sqlite3_extended_result_codes(db, 1)
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    func execute(_ sql: String, _ operation: String? = nil) throws {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
        if rc != SQLITE_OK {
            let message = errorMessage.map { String(cString: $0) } ?? lastMessage
            sqlite3_free(errorMessage)
            throw SQLiteError(operation: operation ?? sql, code: rc, message: message)
        }
    }

    func prepare(_ sql: String, _ operation: String) throws -> SQLiteStatement {
        var statement: OpaquePointer?
        let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard rc == SQLITE_OK, let statement else {
            throw SQLiteError(operation: "prepare \(operation)", code: rc, message: lastMessage)
        }
        return SQLiteStatement(statement, database: self, operation: operation)
    }

    var lastMessage: String { String(cString: sqlite3_errmsg(handle)) }

    /// The first column of the first row of `sql`, as an integer.
    func integer(_ sql: String, _ operation: String) throws -> Int? {
        let statement = try prepare(sql, operation)
        return try statement.step() && !statement.isNull(0) ? Int(statement.int64(0)) : nil
    }

    /// Rows of `sql` as text columns, for small metadata queries.
    func rows(_ sql: String, _ operation: String) throws -> [[String?]] {
        let statement = try prepare(sql, operation)
        var rows: [[String?]] = []
        while try statement.step() {
            rows.append((0..<statement.columnCount).map { statement.text($0) })
        }
        return rows
    }
}
