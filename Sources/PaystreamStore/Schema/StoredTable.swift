/// What a store file says about one of its tables: the primary key it was created with and
/// the field its versions were compared by. Read before anything is written, so that a
/// configuration asking for another key or cursor is refused with both named, instead of
/// failing half-way (or worse, merging versions by another field than the stored ones).
struct StoredTable {
    /// The primary-key columns, in key order.
    var primaryKey: [String]
    /// The columns the sink's cursor index (`<table>_by_<column>`) is on: the field whose
    /// compared form fills `_paystream_cursor`. Empty for a table from before that index.
    var cursorFields: [String]
    /// False for a table the sink did not make (no `_paystream_document`).
    var isSinkTable: Bool

    /// The table named `name` in `db`, or nil when there is none (SQLite's names ignore case).
    static func read(_ name: String, in db: SQLiteDatabase) throws -> StoredTable? {
        let t = name.sqlIdentifier
        // table_info: cid, name, type, notnull, dflt_value, pk (position in the key, 0 if none).
        let columns = try db.rows("PRAGMA table_info(\(t))", "read columns of \(name)")
        guard !columns.isEmpty else { return nil }
        let key = columns.compactMap { row -> (Int, String)? in
            guard let column = row[1], let position = row[5].flatMap({ Int($0) }), position > 0 else { return nil }
            return (position, column)
        }
        var cursors: [String] = []
        // index_list: seq, name, unique, origin, partial; index_info: seqno, cid, name.
        for index in try db.rows("PRAGMA index_list(\(t))", "read indexes of \(name)") {
            guard let indexName = index[1] else { continue }
            let indexed = try db.rows("PRAGMA index_info(\(indexName.sqlIdentifier))", "read index \(indexName)")
            guard indexed.count == 1, let column = indexed[0][2],
                  indexName.lowercased() == TableSpec.cursorIndexName(table: name, cursor: column).lowercased() else { continue }
            cursors.append(column)
        }
        return StoredTable(
            primaryKey: key.sorted { $0.0 < $1.0 }.map(\.1), cursorFields: cursors.sorted(),
            isSinkTable: columns.contains { $0[1] == ReservedColumn.document }
        )
    }

    /// How `spec` differs from this table, or nil when the sink can write it as configured.
    /// Names compare exactly: record fields are case-sensitive, so `ID` is not `id`.
    func difference(from spec: TableSpec) -> StoreSchemaMismatch.Difference? {
        guard isSinkTable else { return .notASinkTable }
        guard primaryKey == spec.primaryKey else { return .primaryKey(stored: primaryKey, configured: spec.primaryKey) }
        guard cursorFields.isEmpty || cursorFields.contains(spec.cursorField) else {
            return .cursor(stored: cursorFields, configured: spec.cursorField)
        }
        return nil
    }
}
