/// What the store needs to know about one resource's table.
public struct TableSpec: Sendable, Equatable {
    public var name: String
    /// Top-level fields that form the primary key.
    public var primaryKey: [String]
    /// The field that orders versions of a record: an older version never overwrites a newer.
    public var cursorField: String
    /// Tombstones mark the row deleted (`_paystream_deleted_at`) instead of removing it; a
    /// later version of the record clears the mark.
    public var softDelete: Bool

    public init(name: String, primaryKey: [String], cursorField: String = "updated_at", softDelete: Bool = false) {
        self.name = name
        self.primaryKey = primaryKey
        self.cursorField = cursorField
        self.softDelete = softDelete
    }

    /// The index on a table's cursor column. Its name also records which field a table's
    /// versions are compared by (see `StoredTable`).
    static func cursorIndexName(table: String, cursor: String) -> String { table + "_by_" + cursor }
}

/// Column names Paystream itself uses; a record field with one of these names stays in
/// the document only.
enum ReservedColumn {
    static let document = "_paystream_document"
    static let deletedAt = "_paystream_deleted_at"
    /// The cursor as the store compares versions (see `CursorKey`).
    static let cursorKey = "_paystream_cursor"
    static let prefix = "_paystream_"
}

extension String {
    /// The name as an SQL identifier: double-quoted, inner quotes doubled. Every table and
    /// column name goes through here, so no field name is ever executed as SQL.
    var sqlIdentifier: String { "\"" + replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
}

import Foundation
