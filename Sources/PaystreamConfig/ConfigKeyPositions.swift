import Yams

/// Where each key of a config text is written (line and column, from 1), by its path as
/// errors name it (`resources[1].endpoint.paginator`), read from YAML's node tree (a JSON
/// config is YAML too). Building it also refuses a mapping key that is not a plain name
/// (`[a]: 1`, `? {a: 1}`): Yams's constructor would trap on one.
struct ConfigKeyPositions {
    private var positions: [String: Mark] = [:]

    init(_ root: Node) throws(ConfigError) {
        try walk(root, at: "")
    }

    private mutating func walk(_ node: Node, at path: String) throws(ConfigError) {
        if let mapping = node.mapping {
            for (key, value) in mapping {
                guard let name = key.scalar?.string else {
                    var error = ConfigError(at: path, "a mapping key must be a plain name, not a list or mapping")
                    (error.line, error.column) = (key.mark?.line, key.mark?.column)
                    throw error
                }
                let child = path.isEmpty ? name : "\(path).\(name)"
                positions[child] = key.mark
                try walk(value, at: child)
            }
        } else if let sequence = node.sequence {
            for (i, item) in sequence.enumerated() {
                positions["\(path)[\(i)]"] = item.mark
                try walk(item, at: "\(path)[\(i)]")
            }
        }
    }

    /// `error` with the position of its key; for a key that is not in the text (one that is
    /// missing, say), that of the nearest mapping or item around it that is.
    func locate(_ error: ConfigError) -> ConfigError {
        var path = Substring(error.path)
        while !path.isEmpty {
            if let mark = positions[String(path)] {
                var located = error
                (located.line, located.column) = (mark.line, mark.column)
                return located
            }
            path = path[..<(path.lastIndex { $0 == "." || $0 == "[" } ?? path.startIndex)]
        }
        return error
    }
}
