/// A path of object keys into a JSON document, written the way dlt's `data_selector`,
/// `cursor_path` and paginator paths are: `data`, `$.data`, `results.items`, `$['odd key']`.
/// A trailing `[*]` ("every element") is accepted and means the array itself.
public struct JSONPath: Sendable, Hashable, CustomStringConvertible {
    public var components: [String]

    public init(components: [String]) {
        self.components = components
    }

    public init(parsing text: String) throws(JSONPathError) {
        var rest = Substring(text.trimmingWhitespace())
        if rest.hasPrefix("$") { rest = rest.dropFirst() }
        var components: [String] = []
        while !rest.isEmpty {
            if rest.hasPrefix("[*]") {
                rest = rest.dropFirst(3)
                guard rest.isEmpty else { throw JSONPathError(path: text, reason: "'[*]' is only supported at the end") }
                break
            }
            if rest.hasPrefix("['") || rest.hasPrefix("[\"") {
                let quote = rest[rest.index(after: rest.startIndex)]
                rest = rest.dropFirst(2)
                guard let close = rest.firstIndex(of: quote), rest[rest.index(after: close)...].hasPrefix("]") else {
                    throw JSONPathError(path: text, reason: "unterminated bracketed key")
                }
                components.append(String(rest[..<close]))
                rest = rest[rest.index(close, offsetBy: 2)...]
                continue
            }
            if rest.hasPrefix(".") { rest = rest.dropFirst() }
            let end = rest.firstIndex { $0 == "." || $0 == "[" } ?? rest.endIndex
            let name = rest[..<end]
            guard !name.isEmpty else { throw JSONPathError(path: text, reason: "empty key") }
            if name.contains("*") || name.contains("?") {
                throw JSONPathError(path: text, reason: "wildcards and filters are not supported")
            }
            components.append(String(name))
            rest = rest[end...]
        }
        self.components = components
    }

    public var description: String { components.isEmpty ? "$" : components.joined(separator: ".") }
}

public struct JSONPathError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var reason: String
    public var description: String { "invalid JSON path '\(path)': \(reason)" }
}

extension String {
    fileprivate func trimmingWhitespace() -> String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
