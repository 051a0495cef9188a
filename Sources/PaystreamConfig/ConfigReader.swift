/// Reads one mapping of the config strictly: every key must be known, every value of the
/// expected type, and anything left unread is reported with its path.
struct ConfigReader {
    let path: String
    private let values: [String: ConfigValue]
    private var read: Set<String> = []

    init(_ value: ConfigValue, at path: String) throws(ConfigError) {
        guard case .object(let values) = value else {
            throw ConfigError(at: path, "expected a mapping, found \(value.typeName)")
        }
        self.path = path
        self.values = values
    }

    func child(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    mutating func value(_ key: String) -> ConfigValue? {
        read.insert(key)
        if case .null = values[key] { return nil }
        return values[key]
    }

    /// True when the key is present with an explicit null (dlt uses that to turn a default off).
    mutating func isNull(_ key: String) -> Bool {
        if case .null? = values[key] {
            read.insert(key)
            return true
        }
        return false
    }

    mutating func string(_ key: String) throws(ConfigError) -> String? {
        guard let v = value(key) else { return nil }
        switch v {
        case .string(let s): return s
        case .int, .double, .bool: return v.scalarText
        default: throw ConfigError(at: child(key), "expected a string, found \(v.typeName)")
        }
    }

    mutating func requiredString(_ key: String) throws(ConfigError) -> String {
        guard let s = try string(key) else { throw ConfigError(at: child(key), "is required") }
        return s
    }

    mutating func int(_ key: String) throws(ConfigError) -> Int? {
        guard let v = value(key) else { return nil }
        switch v {
        case .int(let i): return i
        case .string(let s) where Int(s) != nil: return Int(s)
        default: throw ConfigError(at: child(key), "expected an integer, found \(v.typeName)")
        }
    }

    mutating func double(_ key: String) throws(ConfigError) -> Double? {
        guard let v = value(key) else { return nil }
        switch v {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: throw ConfigError(at: child(key), "expected a number, found \(v.typeName)")
        }
    }

    mutating func bool(_ key: String) throws(ConfigError) -> Bool? {
        guard let v = value(key) else { return nil }
        guard case .bool(let b) = v else { throw ConfigError(at: child(key), "expected true or false, found \(v.typeName)") }
        return b
    }

    mutating func stringMap(_ key: String) throws(ConfigError) -> [String: String] {
        guard let v = value(key) else { return [:] }
        guard case .object(let map) = v else { throw ConfigError(at: child(key), "expected a mapping, found \(v.typeName)") }
        var result: [String: String] = [:]
        for (k, item) in map {
            guard let text = item.scalarText else { throw ConfigError(at: "\(child(key)).\(k)", "expected a scalar, found \(item.typeName)") }
            result[k] = text
        }
        return result
    }

    mutating func array(_ key: String) throws(ConfigError) -> [ConfigValue]? {
        guard let v = value(key) else { return nil }
        guard case .array(let items) = v else { throw ConfigError(at: child(key), "expected a list, found \(v.typeName)") }
        return items
    }

    /// Throws when the mapping has keys that nothing read: a misspelt key must not be
    /// ignored silently.
    func finish() throws(ConfigError) {
        let unknown = Set(values.keys).subtracting(read).sorted()
        guard let first = unknown.first else { return }
        throw ConfigError(at: child(first), "unknown key (known keys here: \(read.sorted().joined(separator: ", ")))")
    }
}
