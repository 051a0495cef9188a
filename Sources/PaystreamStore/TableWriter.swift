import Foundation
import Logging
import PaystreamJSON

/// Writes one resource's table: creates it, adds a column when a new field appears, and
/// upserts or deletes rows with statements prepared once and reused.
final class TableWriter {
    let spec: TableSpec
    private let db: SQLiteDatabase
    private let logger: Logger
    /// Columns in parameter order (parameter i+1 binds columns[i]).
    private var columns: [Column] = []
    private var parameterOf: [String: Int32] = [:]
    private var lowercasedNames: Set<String> = []
    /// Fields kept only in the document, each reported once.
    private var documentOnlyFields: Set<String> = []
    /// The previous record's field names (raw bytes) and parameters, by position: records
    /// of one resource mostly repeat their fields in the same order, so a byte comparison
    /// usually finds the column without decoding or hashing the name.
    private var recentFields: [RecentField] = []
    /// Per field of the record being written, the parameter it binds (reused buffer).
    private var fieldParameters: [Int32?] = []
    /// Parameters of the columns every upsert binds.
    private var keyParameters: [Int32] = []
    private var cursorKeyParameter: Int32 = 0
    private var documentParameter: Int32 = 0
    private var upsertStatement: SQLiteStatement?
    private var deleteStatement: SQLiteStatement?
    /// SQLite allows 2000 columns by default; stay well below it.
    static let maximumColumns = 1000
    /// Fields reported one by one before the log only says there are more.
    static let reportedDocumentOnlyFields = 50

    struct Column {
        enum Role { case primaryKey, document, cursorKey, field }
        var name: String
        var role: Role
    }

    struct RecentField {
        var name: [UInt8]
        /// nil: the field is not bound from the record (a key, or kept in the document only).
        var parameter: Int32?

        func isNamed(_ raw: UnsafeRawBufferPointer) -> Bool {
            guard name.count == raw.count else { return false }
            return name.withUnsafeBytes { name in
                // An empty buffer may have no address: two empty names are equal.
                guard let a = name.baseAddress, let b = raw.baseAddress else { return true }
                return memcmp(a, b, raw.count) == 0
            }
        }
    }

    init(db: SQLiteDatabase, spec: TableSpec, logger: Logger) throws {
        self.db = db
        self.spec = spec
        self.logger = logger
        try createTable()
        for row in try db.rows("PRAGMA table_info(\(spec.name.sqlIdentifier))", "read columns of \(spec.name)") {
            guard let name = row[1] else { continue }
            let role: Column.Role =
                spec.primaryKey.contains(name) ? .primaryKey
                : name == ReservedColumn.document ? .document
                : name == ReservedColumn.cursorKey ? .cursorKey : .field
            register(Column(name: name, role: role))
        }
        if parameterOf[ReservedColumn.cursorKey] == nil { try addCursorKeyColumn() }
        // `RecordStore.checkSchema` found these before: missing now, the file changed since.
        keyParameters = try spec.primaryKey.map { try parameter(of: $0) }
        cursorKeyParameter = try parameter(of: ReservedColumn.cursorKey)
        documentParameter = try parameter(of: ReservedColumn.document)
        // Soft deletes need their mark column; upserts never bind it, so a newer version
        // of a record clears it.
        if spec.softDelete, parameterOf[ReservedColumn.deletedAt] == nil {
            try db.execute("ALTER TABLE \(spec.name.sqlIdentifier) ADD COLUMN \(ReservedColumn.deletedAt.sqlIdentifier) TEXT", "add deletion mark to \(spec.name)")
            register(Column(name: ReservedColumn.deletedAt, role: .field))
        }
    }

    private func createTable() throws {
        let t = spec.name.sqlIdentifier
        var definitions = spec.primaryKey.map { "\($0.sqlIdentifier) TEXT NOT NULL" }
        // The cursor column has no declared type: it keeps numbers as numbers and text as text.
        if !spec.primaryKey.contains(spec.cursorField) { definitions.append(spec.cursorField.sqlIdentifier) }
        definitions.append("\(ReservedColumn.document.sqlIdentifier) TEXT NOT NULL")
        definitions.append(ReservedColumn.cursorKey.sqlIdentifier)
        definitions.append("PRIMARY KEY (\(spec.primaryKey.map(\.sqlIdentifier).joined(separator: ", ")))")
        try db.execute("CREATE TABLE IF NOT EXISTS \(t) (\(definitions.joined(separator: ", ")))", "create table \(spec.name)")
        try db.execute(
            "CREATE INDEX IF NOT EXISTS \(TableSpec.cursorIndexName(table: spec.name, cursor: spec.cursorField).sqlIdentifier) ON \(t) (\(spec.cursorField.sqlIdentifier))",
            "create cursor index on \(spec.name)"
        )
    }

    /// A table written by a version without `_paystream_cursor`: add it and fill it from
    /// the stored cursor values, so that old rows are compared by value too.
    private func addCursorKeyColumn() throws {
        let t = spec.name.sqlIdentifier, c = spec.cursorField.sqlIdentifier, k = ReservedColumn.cursorKey.sqlIdentifier
        try db.execute("ALTER TABLE \(t) ADD COLUMN \(k)", "add \(ReservedColumn.cursorKey) to \(spec.name)")
        register(Column(name: ReservedColumn.cursorKey, role: .cursorKey))
        // Each stored value as the one-field document {"c": value}, read as a record's cursor.
        let select = try db.prepare("SELECT rowid, json_object('c', \(c)) FROM \(t) WHERE \(c) IS NOT NULL", "read cursors of \(spec.name)")
        let update = try db.prepare("UPDATE \(t) SET \(k) = ?1 WHERE rowid = ?2", "fill \(ReservedColumn.cursorKey) of \(spec.name)")
        var filled = 0
        while try select.step() {
            guard let document = select.text(1) else { continue }
            try Array(document.utf8).withUnsafeBytes { bytes in
                var fields: [RecordFields.Field] = [], scratch: [UInt8] = []
                _ = try RecordFields.parse(bytes, into: &fields)
                let key = CursorKey.of(fields.first, bytes, scratch: &scratch)
                scratch.withUnsafeBytes { bind(key, at: 1, update, bytes, scratch: $0) }
                update.bind(2, select.int64(0))
                try update.run()
            }
            filled += 1
        }
        if filled > 0 { logger.notice("compared cursors of \(filled) existing rows of \(spec.name) by value from now on") }
    }

    private func parameter(of column: String) throws(MissingColumn) -> Int32 {
        guard let parameter = parameterOf[column] else { throw MissingColumn(table: spec.name, column: column) }
        return parameter
    }

    /// A column the table must have is not there.
    struct MissingColumn: Error, CustomStringConvertible {
        var table: String
        var column: String
        var description: String { "table \"\(table)\" has no column \(column) (was the store changed by another program?)" }
    }

    private func register(_ column: Column) {
        columns.append(column)
        parameterOf[column.name] = Int32(columns.count)
        lowercasedNames.insert(column.name.lowercased())
    }

    /// Upserts one record: its fields, primary key and cursor as prepared. Only a version
    /// at least as new as the stored one replaces it (see `CursorKey`).
    func upsert(
        _ record: ArraySlice<RecordFields.Field>, key: ArraySlice<ByteSpan>, cursor: CursorKey,
        _ bytes: UnsafeRawBufferPointer, scratch: UnsafeRawBufferPointer
    ) throws {
        // Work on local buffers (swapped in and out): no exclusivity check per field.
        var recent: [RecentField] = [], parameters: [Int32?] = []
        swap(&recent, &recentFields)
        swap(&parameters, &fieldParameters)
        defer {
            swap(&recent, &recentFields)
            swap(&parameters, &fieldParameters)
        }
        parameters.removeAll(keepingCapacity: true)
        for (i, field) in record.enumerated() {
            let raw = UnsafeRawBufferPointer(rebasing: bytes[field.key.range])
            if i < recent.count, !field.key.hasEscapes, recent[i].isNamed(raw) {
                parameters.append(recent[i].parameter)
                continue
            }
            let name = field.name(bytes)
            if parameterOf[name] == nil { try addColumn(for: field, named: name) }
            let parameter = parameterOf[name].flatMap { columns[Int($0) - 1].role == .field ? $0 : nil }
            parameters.append(parameter)
            // A field with no column yet (so far only null) must be looked at again.
            guard parameterOf[name] != nil || documentOnlyFields.contains(name) else { continue }
            let entry = RecentField(name: Array(raw), parameter: parameter)
            if i < recent.count { recent[i] = entry } else { recent.append(entry) }
        }
        let statement = try upsert()
        var i = record.startIndex
        for p in parameters {
            if let p { bind(record[i].value, at: p, statement, bytes) }
            i += 1
        }
        for (p, part) in zip(keyParameters, key) {
            statement.bindText(p, part.bytes(value: bytes, key: UnsafeRawBufferPointer(start: nil, count: 0), scratch: scratch))
        }
        bind(cursor, at: cursorKeyParameter, statement, bytes, scratch: scratch)
        statement.bindText(documentParameter, bytes)
        try statement.run()
    }

    /// Deletes (or marks) the row with this key: a tombstone. `key` is in primary-key order.
    func delete(key: [UnsafeRawBufferPointer]) throws {
        let statement = try deleteStatement ?? prepareDelete()
        for (i, value) in key.enumerated() { statement.bindText(Int32(i + 1), value) }
        try statement.run()
    }

    private func prepareDelete() throws -> SQLiteStatement {
        let conditions = spec.primaryKey.enumerated().map { "\($1.sqlIdentifier) = ?\($0 + 1)" }.joined(separator: " AND ")
        let sql = spec.softDelete
            ? "UPDATE \(spec.name.sqlIdentifier) SET \(ReservedColumn.deletedAt.sqlIdentifier) = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE \(conditions)"
            : "DELETE FROM \(spec.name.sqlIdentifier) WHERE \(conditions)"
        let statement = try db.prepare(sql, "delete from \(spec.name)")
        deleteStatement = statement
        return statement
    }

    private func bind(_ value: RecordFields.Value, at p: Int32, _ statement: SQLiteStatement, _ bytes: UnsafeRawBufferPointer) {
        switch value {
        case .null: statement.bindNull(p)
        case .integer(let i): statement.bind(p, i)
        case .real(let d): statement.bind(p, d)
        case .bool(let b): statement.bind(p, Int64(b ? 1 : 0))
        case .text(let r, let escaped):
            if escaped {
                statement.bindText(p, JSONString(range: r, hasEscapes: true).decoded(in: bytes))
            } else {
                statement.bindText(p, UnsafeRawBufferPointer(rebasing: bytes[r]))
            }
        case .json(let r): statement.bindText(p, UnsafeRawBufferPointer(rebasing: bytes[r]))
        }
    }

    private func bind(_ key: CursorKey, at p: Int32, _ statement: SQLiteStatement, _ bytes: UnsafeRawBufferPointer, scratch: UnsafeRawBufferPointer) {
        switch key {
        case .missing: statement.bindNull(p)
        case .integer(let i): statement.bind(p, i)
        case .real(let d): statement.bind(p, d)
        case .instant(let r): statement.bindText(p, UnsafeRawBufferPointer(rebasing: scratch[r]))
        case .other(let r): statement.bindBlob(p, UnsafeRawBufferPointer(rebasing: bytes[r]))
        }
    }

    private func upsert() throws -> SQLiteStatement {
        if let upsertStatement { return upsertStatement }
        let t = spec.name.sqlIdentifier, k = ReservedColumn.cursorKey.sqlIdentifier, d = ReservedColumn.document.sqlIdentifier
        let names = columns.map(\.name.sqlIdentifier)
        let updates = columns.filter { $0.role != .primaryKey }.map { "\($0.name.sqlIdentifier) = excluded.\($0.name.sqlIdentifier)" }
        // Newest wins; of two versions with the same cursor the later one, unless it is the
        // very same record (a replay), which is not written again.
        let sql = """
            INSERT INTO \(t) (\(names.joined(separator: ", "))) VALUES (\(columns.indices.map { "?\($0 + 1)" }.joined(separator: ", ")))
            ON CONFLICT (\(spec.primaryKey.map(\.sqlIdentifier).joined(separator: ", "))) DO UPDATE SET \(updates.joined(separator: ", "))
            WHERE \(t).\(k) IS NULL OR excluded.\(k) > \(t).\(k) OR (excluded.\(k) = \(t).\(k) AND excluded.\(d) IS NOT \(t).\(d))
            """
        let statement = try db.prepare(sql, "upsert into \(spec.name)")
        upsertStatement = statement
        return statement
    }

    /// Adds a column for a new field, or keeps the field in the document only (reported once)
    /// when it cannot be a column.
    private func addColumn(for field: RecordFields.Field, named name: String) throws {
        guard !documentOnlyFields.contains(name) else { return }
        let type: String
        switch field.value {
        case .null: return  // Type unknown until a value arrives; the document has it.
        case .integer, .bool: type = "INTEGER"
        case .real: type = "REAL"
        case .text, .json: type = "TEXT"
        }
        let problem: String? =
            if name.isEmpty { "its name is empty" }
            else if name.utf8.contains(0) { "its name contains a NUL character" }
            else if name.lowercased().hasPrefix(ReservedColumn.prefix) { "names starting with \(ReservedColumn.prefix) are reserved" }
            else if lowercasedNames.contains(name.lowercased()) { "SQLite column names ignore case and another field differs only in case" }
            else if columns.count >= Self.maximumColumns { "the table already has \(Self.maximumColumns) columns" }
            else { nil }
        if let problem {
            documentOnlyFields.insert(name)
            guard documentOnlyFields.count <= Self.reportedDocumentOnlyFields else { return }
            if documentOnlyFields.count == Self.reportedDocumentOnlyFields {
                logger.warning("more fields of \(spec.name) are kept in \(ReservedColumn.document) only; not reporting each one")
                return
            }
            logger.warning("field kept in \(ReservedColumn.document) only, not as a column: \(problem)",
                           metadata: ["paystream.table": "\(spec.name)", "paystream.field": "\(String(reflecting: name).prefix(200))"])
            return
        }
        try db.execute("ALTER TABLE \(spec.name.sqlIdentifier) ADD COLUMN \(name.sqlIdentifier) \(type)", "add column to \(spec.name)")
        register(Column(name: name, role: .field))
        upsertStatement = nil
    }
}
