import CSQLite

/// A prepared statement, reused across rows: bind, step, reset.
final class SQLiteStatement {
    private let handle: OpaquePointer
    private unowned let database: SQLiteDatabase
    let operation: String

    init(_ handle: OpaquePointer, database: SQLiteDatabase, operation: String) {
        self.handle = handle
        self.database = database
        self.operation = operation
    }

    deinit {
        sqlite3_finalize(handle)
    }

    var columnCount: Int { Int(sqlite3_column_count(handle)) }

    // Binding (1-based indexes, as SQLite's). SQLITE_STATIC: callers keep the bytes alive
    // until `step` returns.

    func bindNull(_ i: Int32) { sqlite3_bind_null(handle, i) }
    func bind(_ i: Int32, _ value: Int64) { sqlite3_bind_int64(handle, i, value) }
    func bind(_ i: Int32, _ value: Double) { sqlite3_bind_double(handle, i, value) }

    func bindText(_ i: Int32, _ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress else {
            sqlite3_bind_text(handle, i, "", 0, nil)
            return
        }
        sqlite3_bind_text(handle, i, base.assumingMemoryBound(to: CChar.self), Int32(bytes.count), nil)
    }

    /// Text bound with its byte length: a NUL inside it is part of it.
    func bindText(_ i: Int32, _ text: String) {
        sqlite3_bind_text(handle, i, text, Int32(text.utf8.count), paystream_sqlite_transient())
    }

    func bindBlob(_ i: Int32, _ bytes: UnsafeRawBufferPointer) {
        // A null pointer would bind NULL, not an empty blob.
        guard let base = bytes.baseAddress else {
            sqlite3_bind_zeroblob(handle, i, 0)
            return
        }
        sqlite3_bind_blob(handle, i, base, Int32(bytes.count), nil)
    }

    /// Executes one step; true while it yields a row.
    @discardableResult
    func step() throws -> Bool {
        let rc = sqlite3_step(handle)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw SQLiteError(operation: operation, code: rc, message: database.lastMessage)
        }
    }

    /// Runs to completion and makes the statement ready for new bindings.
    func run() throws {
        defer { reset() }
        while try step() {}
    }

    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    func text(_ column: Int) -> String? {
        guard let p = sqlite3_column_text(handle, Int32(column)) else { return nil }
        return String(cString: p)
    }

    func int64(_ column: Int) -> Int64 { sqlite3_column_int64(handle, Int32(column)) }

    func isNull(_ column: Int) -> Bool { sqlite3_column_type(handle, Int32(column)) == SQLITE_NULL }
}
