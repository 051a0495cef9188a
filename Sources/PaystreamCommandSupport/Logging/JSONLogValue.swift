import Logging
import PaystreamJSON

/// How `JSONLogHandler` writes a field. A metadata value is a JSON number when its text is a
/// plain decimal number, a boolean when it is `true` or `false`, and a string otherwise —
/// whether the code logged a number (`.stringConvertible(count)`) or interpolated it into
/// text (`"\(count)"`), as most call sites do: a log collector wants to sum and compare
/// counts either way.
///
/// "Plain": an optional minus, digits without a leading zero, an optional fraction, at most
/// 15 digits in all, which every JSON reader holds exactly (a double keeps 15 significant
/// digits). Longer digit strings (ids, hashes), exponents, `NaN` and `inf` stay strings. So
/// a field is a number whenever its value reads as one: an epoch-seconds cursor is a number,
/// an RFC 3339 cursor a string.
enum JSONLogValue {
    static func appendField(_ key: String, text: String, to out: inout [UInt8], first: Bool = false) {
        appendKey(key, to: &out, first: first)
        JSONWriter.appendString(text, to: &out)
    }

    static func appendField(_ key: String, _ value: Logger.MetadataValue, to out: inout [UInt8], first: Bool = false) {
        appendKey(key, to: &out, first: first)
        append(value, to: &out)
    }

    private static func appendKey(_ key: String, to out: inout [UInt8], first: Bool) {
        if !first { out.append(UInt8(ascii: ",")) }
        JSONWriter.appendString(key, to: &out)
        out.append(UInt8(ascii: ":"))
    }

    private static func append(_ value: Logger.MetadataValue, to out: inout [UInt8]) {
        switch value {
        case .string(let s): appendScalar(s, to: &out)
        case .stringConvertible(let c): appendScalar(c.description, to: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                append(item, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .dictionary(let map):
            out.append(UInt8(ascii: "{"))
            for (i, (key, item)) in map.sorted(by: { $0.key < $1.key }).enumerated() {
                appendField(key, item, to: &out, first: i == 0)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static func appendScalar(_ text: String, to out: inout [UInt8]) {
        if text == "true" || text == "false" || isPlainNumber(text) {
            out.append(contentsOf: text.utf8)
        } else {
            JSONWriter.appendString(text, to: &out)
        }
    }

    static func isPlainNumber(_ text: String) -> Bool {
        func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
        var rest = text.utf8[...]
        if rest.first == UInt8(ascii: "-") { rest = rest.dropFirst() }
        let whole = rest.prefix(while: isDigit)
        guard !whole.isEmpty, whole.count == 1 || whole.first != UInt8(ascii: "0") else { return false }
        rest = rest.dropFirst(whole.count)
        var digits = whole.count
        if rest.first == UInt8(ascii: ".") {
            let fraction = rest.dropFirst().prefix(while: isDigit)
            guard !fraction.isEmpty else { return false }
            digits += fraction.count
            rest = rest.dropFirst(1 + fraction.count)
        }
        return rest.isEmpty && digits <= 15
    }
}
