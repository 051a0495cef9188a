import Foundation

extension RecordStore {
    /// Throws the first difference between the tables `tablesByTopic` asks for and those the
    /// file at `path` keeps, through a read-only connection: nothing is created or written,
    /// so a command can refuse a configuration before it starts (a file that does not exist
    /// yet has nothing to differ from).
    public static func checkSchema(ofFileAt path: String, tablesByTopic: [String: TableSpec]) throws {
        guard FileManager.default.fileExists(atPath: path) else { return }
        let db = try SQLiteDatabase(path: path, readOnly: true)
        try db.execute("PRAGMA busy_timeout = 5000", "set busy timeout")
        try checkSchema(of: db, path: path, tablesByTopic: tablesByTopic)
    }

    /// The check itself, on a connection of either kind; it only reads.
    static func checkSchema(of db: SQLiteDatabase, path: String, tablesByTopic: [String: TableSpec]) throws {
        // SQLite's table names ignore case: "Refunds" and "refunds" are one table.
        let topicsByTable = Dictionary(grouping: tablesByTopic.keys.sorted()) { tablesByTopic[$0]?.name.lowercased() ?? "" }
        for spec in tablesByTopic.values.sorted(by: { $0.name < $1.name }) {
            if let topics = topicsByTable[spec.name.lowercased()], topics.count > 1 {
                throw StoreSchemaMismatch(path: path, table: spec.name, difference: .sharedBy(topics: topics))
            }
            guard let stored = try StoredTable.read(spec.name, in: db) else { continue }
            if let difference = stored.difference(from: spec) {
                throw StoreSchemaMismatch(path: path, table: spec.name, difference: difference)
            }
        }
    }
}
