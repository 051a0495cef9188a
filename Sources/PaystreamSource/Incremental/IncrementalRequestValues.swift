import PaystreamConfig
import PaystreamJSON

/// What an incremental window puts into requests: `start_param`, `end_param` and dlt's
/// `{incremental.…}` placeholders in the endpoint's path, params and json.
public struct IncrementalRequestValues: Sendable {
    /// The window's start: `{incremental.start_value}`, `{incremental.last_value}` and
    /// `start_param` (nil on a first run without `initial_value`: from the beginning).
    public var start: CursorValue?
    /// The window's end: `{incremental.end_value}` and `end_param` (nil: no end is sent).
    public var end: CursorValue?
    /// `{incremental.initial_value}`.
    public var initial: CursorValue?

    public init(start: CursorValue? = nil, end: CursorValue? = nil, initial: CursorValue? = nil) {
        self.start = start
        self.end = end
        self.initial = initial
    }

    func value(of placeholder: String) -> CursorValue? {
        switch placeholder {
        case Placeholder.start, Placeholder.last: start
        case Placeholder.end: end
        case Placeholder.initial: initial
        default: nil
        }
    }

    /// A query parameter's value with its placeholders filled in; nil when one of them has
    /// no value in this run: the parameter is then not sent (no start means no filter).
    func expandParameter(_ text: String) -> String? {
        Placeholder.expand(text) { value(of: $0)?.text }
    }

    /// Text that must be complete (the path): a placeholder without a value fails the resource.
    func expand(_ text: String, in what: String, of resource: String) throws -> String {
        if let expanded = Placeholder.expand(text, { value(of: $0)?.text }) { return expanded }
        let missing = Placeholder.names(in: text).first { Placeholder.known.contains($0) && value(of: $0) == nil } ?? ""
        throw SourceError(resource: resource, url: "(not sent)", reason: "'{\(missing)}' in \(what) has no value in this run: set incremental.initial_value (and end_value for an end)", isRetriable: false)
    }

    /// A json string that is one placeholder becomes the value as JSON (a number stays a
    /// number, no value is null); placeholders inside longer text are filled in as text.
    func jsonLiteral(for text: String, of resource: String) throws -> String {
        let names = Placeholder.names(in: text)
        if names.count == 1, Placeholder.known.contains(names[0]), text == "{\(names[0])}" { return value(of: names[0])?.jsonLiteral ?? "null" }
        return JSONWriter.quoted(try expand(text, in: "the json body", of: resource))
    }
}

/// Renders a config value as JSON (for `endpoint.json` request bodies).
enum JSONConfigEncoder {
    static func encode(_ value: ConfigValue, window: IncrementalRequestValues, resource: String) throws -> String {
        switch value {
        case .string(let s): try window.jsonLiteral(for: s, of: resource)
        case .int(let i): String(i)
        case .double(let d): String(d)
        case .bool(let b): b ? "true" : "false"
        case .null: "null"
        case .array(let items): "[" + (try items.map { try encode($0, window: window, resource: resource) }).joined(separator: ",") + "]"
        case .object(let map):
            "{" + (try map.sorted { $0.key < $1.key }.map { JSONWriter.quoted($0.key) + ":" + (try encode($0.value, window: window, resource: resource)) })
                .joined(separator: ",") + "}"
        }
    }
}
