/// One resource to sync: an endpoint, its records' primary key, and where they go.
public struct ResourceConfig: Sendable, Equatable {
    public var name: String
    /// The sink's table; defaults to the resource name.
    public var tableName: String
    /// Field names (or paths) that identify a record. More than one makes a compound key.
    public var primaryKey: [String]
    public var writeDisposition = WriteDisposition.merge
    /// False keeps the resource in the config without syncing it.
    public var selected: Bool
    public var endpoint: EndpointConfig
    /// Paystream's extension (`paystream: {version_path: …}`): which field tells two
    /// versions of a record apart, for matching records across overlapping pages.
    public var versionField = VersionField.automatic
    /// A fetcher group syncs the resource as this many work units, each an equal part of
    /// every sync's incremental window: the custom column hint `x-paystream-slices` on the
    /// cursor's column (`columns: {updated_at: {x-paystream-slices: 8}}`), a place dlt's
    /// config validation accepts (it rejects unknown keys elsewhere) and leaves alone.
    public var slices = 1
    static let slicesHint = "x-paystream-slices"

    /// dlt's `write_disposition`, as far as Paystream can honour it. Every message is keyed
    /// by primary key on a compacted topic and the sink upserts by it: that is `merge`, and
    /// dlt's `append` gives the same result for records with a primary key. `replace` (drop
    /// what is not in this run) it cannot do.
    public enum WriteDisposition: String, Sendable, Equatable {
        case merge, append
    }

    public enum VersionField: Sendable, Equatable {
        /// The incremental `cursor_path` if there is one, else a top-level `updated_at` in
        /// records that have it.
        case automatic
        case path(String)
        /// No version field (`version_path: null`): a record's identity is its key and bytes.
        case none
    }

    init(_ value: ConfigValue, errorHandlerDefaults: ErrorHandlerConfig, at path: String) throws(ConfigError) {
        var r = try ConfigReader(value, at: path)
        // Required, but checked after the unknown keys: a misspelt `nmae:` is named as such.
        let name = try r.string("name")
        self.name = name ?? ""
        tableName = try r.string("table_name") ?? self.name
        switch r.value("primary_key") {
        case .string(let key)?: primaryKey = [key]
        case .array(let keys)?: primaryKey = keys.compactMap(\.scalarText)
        case nil: primaryKey = []
        case let other?: throw ConfigError(at: r.child("primary_key"), "expected a field name or a list, found \(other.typeName)")
        }
        if let disposition = try r.string("write_disposition") {
            guard let known = WriteDisposition(rawValue: disposition) else {
                throw ConfigError(at: r.child("write_disposition"), "'\(disposition)' is not supported: Paystream merges records by primary key (use merge)")
            }
            writeDisposition = known
        }
        selected = try r.bool("selected") ?? true
        // dlt accepts a bare path string as the endpoint.
        let endpointValue: ConfigValue = switch r.value("endpoint") {
        case .string(let p)?: .object(["path": .string(p)])
        case let v?: v
        case nil: .object(["path": .string(self.name)])
        }
        endpoint = try EndpointConfig(endpointValue, errorHandlerDefaults: errorHandlerDefaults, at: r.child("endpoint"))
        if let extensions = r.value("paystream") {
            var e = try ConfigReader(extensions, at: r.child("paystream"))
            if e.isNull("version_path") {
                versionField = .none
            } else if let path = try e.string("version_path") {
                versionField = .path(path)
            }
            try e.finish()
        }
        // dlt's column hints: Paystream reads its own `x-paystream-slices`; the others are
        // for dlt's destinations (the sink types columns from the data) and are accepted.
        var slicedColumn: String?
        if let columns = r.value("columns") {
            guard case .object(let map) = columns else { throw ConfigError(at: r.child("columns"), "expected a mapping of column hints, found \(columns.typeName)") }
            for (column, hints) in map.sorted(by: { $0.key < $1.key }) {
                guard case .object(let h) = hints else { throw ConfigError(at: "\(r.child("columns")).\(column)", "expected a mapping of hints, found \(hints.typeName)") }
                guard let value = h[Self.slicesHint] else { continue }
                let at = "\(r.child("columns")).\(column).\(Self.slicesHint)"
                guard case .int(let n) = value, (1...256).contains(n) else { throw ConfigError(at: at, "must be a whole number from 1 to 256") }
                slices = n
                slicedColumn = column
            }
        }
        // dlt keys with no meaning for a Kafka source are rejected rather than ignored.
        try r.finish()
        guard let name else { throw ConfigError(at: r.child("name"), "is required") }
        guard !name.isEmpty else { throw ConfigError(at: r.child("name"), "must not be empty") }
        guard !primaryKey.isEmpty else {
            throw ConfigError(at: r.child("primary_key"), "is required: Paystream keys every Kafka message by it")
        }
        // A slice is a part of the window: the API must filter by both ends, from a known start.
        if let slicedColumn {
            let at = "\(r.child("columns")).\(slicedColumn).\(Self.slicesHint)"
            guard let incremental = endpoint.incremental, incremental.startParam != nil, incremental.endParam != nil,
                  incremental.initialValue != nil else {
                throw ConfigError(at: at, "slices split the incremental window: the endpoint needs incremental with start_param, end_param and initial_value")
            }
            guard incremental.cursorPath == slicedColumn || incremental.cursorPath == "$.\(slicedColumn)" else {
                throw ConfigError(at: at, "slices split the window of the incremental cursor: put the hint on its column, '\(incremental.cursorPath)'")
            }
        }
    }
}
