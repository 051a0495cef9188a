/// dlt's placeholders: `{incremental.start_value}` and friends in an endpoint's path, params
/// and json, written as Python format fields. A brace pair is a placeholder when it holds a
/// dotted name (`{a.b_c}`); `${NAME}` (the environment) and JSON text (`{"a": 1}`) are not.
public enum Placeholder {
    /// The placeholders Paystream expands, with dlt's meaning: the window's start (dlt's
    /// `start_value` and `last_value` are the same value when a request is made), its end,
    /// and the configured `initial_value`.
    public static let start = "incremental.start_value"
    public static let last = "incremental.last_value"
    public static let end = "incremental.end_value"
    public static let initial = "incremental.initial_value"
    public static let known = [start, end, last, initial]

    /// The placeholder names in `text`, in order.
    public static func names(in text: String) -> [String] {
        guard text.contains("{") else { return [] }
        return fields(in: text).map(\.name)
    }

    /// `text` with each known placeholder replaced by `value(name)`; nil when one has no
    /// value (the caller decides what that means). Other brace text is left as it is: it
    /// passed the config check, so it came from the environment and is data.
    public static func expand(_ text: String, _ value: (String) -> String?) -> String? {
        guard text.contains("{") else { return text }
        var result = ""
        var rest = text[...]
        for field in fields(in: text) where known.contains(field.name) {
            guard let replacement = value(field.name) else { return nil }
            result += rest[..<field.range.lowerBound] + replacement
            rest = rest[field.range.upperBound...]
        }
        return result + rest
    }

    private static func fields(in text: String) -> [(name: String, range: Range<String.Index>)] {
        var found: [(String, Range<String.Index>)] = []
        var i = text.startIndex
        while let open = text[i...].firstIndex(of: "{") {
            let afterOpen = text.index(after: open)
            // `{{` is an escaped brace; `${` is the environment's.
            if afterOpen < text.endIndex, text[afterOpen] == "{" {
                i = text.index(after: afterOpen)
                continue
            }
            if open > text.startIndex, text[text.index(before: open)] == "$" {
                i = afterOpen
                continue
            }
            guard let close = text[afterOpen...].firstIndex(of: "}") else { break }
            let name = String(text[afterOpen..<close])
            if isDottedName(name) { found.append((name, open..<text.index(after: close))) }
            i = text.index(after: close)
        }
        return found
    }

    private static func isDottedName(_ name: String) -> Bool {
        guard !name.isEmpty else { return false }
        return name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { part in
            guard let first = part.unicodeScalars.first, first == "_" || first.properties.isAlphabetic else { return false }
            return part.unicodeScalars.allSatisfy { $0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0) }
        }
    }
}
