/// Finds every placeholder in a config as written (before `${NAME}` substitution, so text
/// from the environment is never read as one, nor shown in an error) and rejects those
/// Paystream would not expand: an unknown name, or a known one outside the places dlt
/// expands it (an endpoint's path, params and json).
enum PlaceholderCheck {
    enum Step: Equatable {
        case key(String)
        case index(Int)
    }

    static func check(_ value: ConfigValue) throws(ConfigError) {
        try walk(value, at: [])
    }

    private static func walk(_ value: ConfigValue, at path: [Step]) throws(ConfigError) {
        switch value {
        case .string(let text):
            for name in Placeholder.names(in: text) { try check(name, at: path) }
        case .array(let items):
            for (i, item) in items.enumerated() { try walk(item, at: path + [.index(i)]) }
        case .object(let map):
            for (key, item) in map.sorted(by: { $0.key < $1.key }) { try walk(item, at: path + [.key(key)]) }
        case .int, .double, .bool, .null:
            return
        }
    }

    private static func check(_ name: String, at path: [Step]) throws(ConfigError) {
        let placeholder = "{\(name)}"
        guard Placeholder.known.contains(name) else {
            if name.hasPrefix("resources.") {
                throw ConfigError(at: render(path), "'\(placeholder)' refers to another resource's records: Paystream does not support dependent resources")
            }
            let known = Placeholder.known.map { "{\($0)}" }.joined(separator: ", ")
            throw ConfigError(at: render(path), "unknown placeholder '\(placeholder)' (Paystream expands \(known)); it would be sent to the API as it is")
        }
        guard isExpanded(path) else {
            throw ConfigError(at: render(path), "'\(placeholder)' is expanded only in an endpoint's path, params and json (as in dlt); here it would be sent as it is")
        }
    }

    /// `resources[i].endpoint…` or `resource_defaults.endpoint…`, then the path, one param, or anything in json.
    private static func isExpanded(_ path: [Step]) -> Bool {
        var rest = path[...]
        if rest.first == .key("resources"), case .index? = rest.dropFirst().first {
            rest = rest.dropFirst(2)
        } else if rest.first == .key("resource_defaults") {
            rest = rest.dropFirst()
        } else {
            return false
        }
        guard rest.popFirst() == .key("endpoint") else { return false }
        switch rest.popFirst() {
        case nil, .key("path")?: return rest.isEmpty
        case .key("params")?: return rest.count == 1
        case .key("json")?: return true
        default: return false
        }
    }

    private static func render(_ path: [Step]) -> String {
        var text = ""
        for step in path {
            switch step {
            case .key(let key): text += text.isEmpty ? key : ".\(key)"
            case .index(let i): text += "[\(i)]"
            }
        }
        return text
    }
}
