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
}

extension ConfigValue {
    /// Every string in the value, depth first.
    var strings: [String] {
        switch self {
        case .string(let s): [s]
        case .array(let items): items.flatMap(\.strings)
        case .object(let map): map.keys.sorted().flatMap { map[$0]!.strings }
        case .int, .double, .bool, .null: []
        }
    }
}
