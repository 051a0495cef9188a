/// A configuration that asks a store file for a table it cannot write as asked: another
/// primary key or cursor than the table was made with, or a table the sink did not make.
/// Found before anything is written; the file is left as it was.
public struct StoreSchemaMismatch: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var table: String
    public var difference: Difference

    public enum Difference: Sendable, Equatable {
        case primaryKey(stored: [String], configured: [String])
        /// `stored`: the fields the table's versions were compared by (normally one).
        case cursor(stored: [String], configured: String)
        /// The table exists but has no `_paystream_document`: someone else's table.
        case notASinkTable
        /// Two topics configured into one table, each of whose writers would add columns.
        case sharedBy(topics: [String])
    }

    public var description: String {
        let rebuild = "or build a new store from the topics (--db NEW.sqlite --until-caught-up)"
        switch difference {
        case .primaryKey(let stored, let configured):
            return "the store \(path) keeps table \"\(table)\" with primary key (\(stored.joined(separator: ", "))), "
                + "but the config gives (\(configured.joined(separator: ", "))): a table's primary key cannot change under its rows; "
                + "put primary_key back to (\(stored.joined(separator: ", "))), \(rebuild)"
        case .cursor(let stored, let configured):
            let old = stored.joined(separator: ", ")
            return "the store \(path) compares versions in table \"\(table)\" by \(old), but the config's cursor is \(configured) "
                + "(incremental.cursor_path, default updated_at): comparing new versions by another field could let an older "
                + "version replace a newer one; put cursor_path back to \(old), \(rebuild)"
        case .notASinkTable:
            return "the store \(path) has a table \"\(table)\" that paystream-sink did not make (it has no "
                + "\(ReservedColumn.document) column): give the resource another table_name, or use another --db"
        case .sharedBy(let topics):
            return "table \"\(table)\" is configured for \(topics.count) topics (\(topics.joined(separator: ", "))): each resource needs a table of its own"
        }
    }
}
