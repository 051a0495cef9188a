/// A configuration document as read from YAML or JSON, before it is typed.
public enum ConfigValue: Sendable, Equatable {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case null
    case array([ConfigValue])
    case object([String: ConfigValue])

    var typeName: String {
        switch self {
        case .string: "a string"
        case .int: "an integer"
        case .double: "a number"
        case .bool: "a boolean"
        case .null: "null"
        case .array: "a list"
        case .object: "a mapping"
        }
    }

    /// The value as a query-parameter or header text.
    public var scalarText: String? {
        switch self {
        case .string(let s): s
        case .int(let i): String(i)
        case .double(let d): String(d)
        case .bool(let b): b ? "true" : "false"
        case .null, .array, .object: nil
        }
    }

    /// `defaults` deep-merged under `self`: keys of `self` win, nested mappings merge.
    public func deepMerged(over defaults: ConfigValue) -> ConfigValue {
        guard case .object(let mine) = self, case .object(let theirs) = defaults else { return self }
        var merged = theirs
        for (key, value) in mine {
            merged[key] = theirs[key].map { value.deepMerged(over: $0) } ?? value
        }
        return .object(merged)
    }
}
