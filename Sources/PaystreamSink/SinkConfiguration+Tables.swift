import PaystreamConfig
import PaystreamJSON
import PaystreamMessageFormat
import PaystreamStore

extension SinkConfiguration {
    /// Resource topic → its table. Primary keys and the cursor must be top-level fields
    /// (`id`, `$.id`): they are columns. Names SQLite cannot keep apart or Paystream uses
    /// itself are config errors here, before any store is opened.
    public func tablesByTopic() throws -> [String: TableSpec] {
        var tables: [String: TableSpec] = [:]
        // SQLite's names ignore case: "Refunds" and "refunds" are one table, "ID" and "id" one column.
        var resourceOfTable: [String: Int] = [:]
        for (i, resource) in pipeline.resources.enumerated() where resource.selected {
            let at = "resources[\(i)]"
            let topic = MessageTopics(prefix: topicPrefix).records(resource.name)
            try Self.checkTableName(resource.tableName, at: "\(at).table_name")
            if let other = resourceOfTable[resource.tableName.lowercased()] {
                throw ConfigError(at: "\(at).table_name", "table '\(resource.tableName)' is also resources[\(other)]'s: each resource needs a table of its own")
            }
            resourceOfTable[resource.tableName.lowercased()] = i
            let keys = try resource.primaryKey.map { try Self.column($0, at: "\(at).primary_key") }
            if let repeated = Self.firstRepeated(keys) {
                throw ConfigError(at: "\(at).primary_key", "'\(repeated)' is named twice (column names ignore case)")
            }
            let cursorAt = "\(at).endpoint.incremental.cursor_path"
            let cursor = try Self.column(resource.endpoint.incremental?.cursorPath ?? "updated_at", at: cursorAt)
            if let key = keys.first(where: { $0 != cursor && $0.lowercased() == cursor.lowercased() }) {
                throw ConfigError(at: cursorAt, "'\(cursor)' and the primary key '\(key)' would be one column (column names ignore case)")
            }
            tables[topic] = TableSpec(name: resource.tableName, primaryKey: keys, cursorField: cursor, softDelete: deleteMode == .soft)
        }
        return tables
    }

    /// Throws when the store file keeps a table of this configuration with another primary
    /// key or cursor (or did not make it); reads the file only, and not at all if it does not exist.
    public func checkStoreSchema() throws {
        try RecordStore.checkSchema(ofFileAt: databasePath, tablesByTopic: tablesByTopic())
    }

    /// A key or cursor path as the column it becomes.
    private static func column(_ path: String, at location: String) throws -> String {
        let parsed = try JSONPath(parsing: path)
        guard parsed.components.count == 1 else {
            throw ConfigError(at: location, "'\(path)' is nested; the sink stores keys and cursors as columns, so they must be top-level fields")
        }
        let name = parsed.components[0]
        if let problem = problem(name, reserved: ["_paystream_"]) { throw ConfigError(at: location, "'\(path)': \(problem)") }
        return name
    }

    private static func checkTableName(_ name: String, at location: String) throws {
        if let problem = problem(name, reserved: ["_paystream_", "sqlite_"]) { throw ConfigError(at: location, "'\(name)': \(problem)") }
    }

    /// Why SQLite cannot take `name` as the sink would use it, or nil.
    private static func problem(_ name: String, reserved prefixes: [String]) -> String? {
        if name.isEmpty { return "must not be empty" }
        // SQL is passed to SQLite as C text: a NUL would end the statement there.
        if name.utf8.contains(0) { return "must not contain a NUL character" }
        if let prefix = prefixes.first(where: { name.lowercased().hasPrefix($0) }) { return "names starting with \(prefix) are reserved" }
        return nil
    }

    private static func firstRepeated(_ names: [String]) -> String? {
        var seen: Set<String> = []
        return names.first { !seen.insert($0.lowercased()).inserted }
    }
}
