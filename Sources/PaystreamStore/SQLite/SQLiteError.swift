import CSQLite

/// A failed SQLite call: the statement's purpose, SQLite's code and message, and whether
/// retrying can help (a busy database) or the operator must act (a full disk).
public struct SQLiteError: Error, CustomStringConvertible, Sendable {
    public var operation: String
    public var code: Int32
    public var message: String

    public var isRetriable: Bool { code & 0xFF == SQLITE_BUSY || code & 0xFF == SQLITE_LOCKED }
    public var isDiskFull: Bool { code & 0xFF == SQLITE_FULL }

    public var description: String {
        var text = "SQLite \(operation) failed: \(message) (code \(code))"
        if isDiskFull { text += "; the disk is full: free space and restart, nothing after the last commit was acknowledged" }
        if isRetriable { text += "; another process holds the database lock" }
        return text
    }
}
