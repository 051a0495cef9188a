/// A validating, allocation-free pull reader over UTF-8 JSON bytes. It records where
/// values are instead of building a tree, so a record can be forwarded byte for byte and
/// only the fields a caller asks for are decoded.
///
/// Objects and arrays are walked with a `first` flag the caller keeps:
/// ```
/// try reader.beginObject()
/// var first = true
/// while let key = try reader.nextMember(&first) { ...read or skip the value... }
/// ```
public struct JSONReader {
    public let bytes: UnsafeRawBufferPointer
    public private(set) var position = 0
    /// Nesting deeper than this is rejected rather than risking the stack.
    public static let maximumDepth = 512

    public init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    // MARK: Structure

    public mutating func peekKind() throws(JSONError) -> JSONKind {
        skipWhitespace()
        guard position < bytes.count else { throw error("unexpected end of input") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
        case UInt8(ascii: "n"): return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        default: throw error("unexpected character '\(printable(bytes[position]))'")
        }
    }

    public mutating func beginObject() throws(JSONError) {
        try expect(UInt8(ascii: "{"), "expected an object")
    }

    /// The next member's key, with the reader placed on its value; nil after the closing brace.
    public mutating func nextMember(_ first: inout Bool) throws(JSONError) -> JSONString? {
        skipWhitespace()
        if peekByte() == UInt8(ascii: "}") {
            position += 1
            return nil
        }
        if !first { try expect(UInt8(ascii: ","), "expected ',' or '}' in object") }
        first = false
        skipWhitespace()
        guard peekByte() == UInt8(ascii: "\"") else { throw error("expected a member name") }
        let key = try scanString()
        try expect(UInt8(ascii: ":"), "expected ':' after member name")
        return key
    }

    public mutating func beginArray() throws(JSONError) {
        try expect(UInt8(ascii: "["), "expected an array")
    }

    /// True with the reader placed on the next element; false after the closing bracket.
    public mutating func nextElement(_ first: inout Bool) throws(JSONError) -> Bool {
        skipWhitespace()
        if peekByte() == UInt8(ascii: "]") {
            position += 1
            return false
        }
        if !first { try expect(UInt8(ascii: ","), "expected ',' or ']' in array") }
        first = false
        return true
    }

    /// Validates and passes over one value, returning where it lies.
    @discardableResult
    public mutating func skipValue() throws(JSONError) -> JSONValue {
        try skipValue(depth: 0)
    }

    /// Moves to `offset`, a position an earlier pass found to start a value.
    public mutating func skip(to offset: Int) throws(JSONError) {
        guard offset >= position, offset <= bytes.count else { throw error("cannot move to byte \(offset)") }
        position = offset
    }

    /// Reads the whole input as one value followed only by whitespace.
    public mutating func readDocument() throws(JSONError) -> JSONValue {
        let value = try skipValue()
        try expectEnd()
        return value
    }

    public mutating func expectEnd() throws(JSONError) {
        skipWhitespace()
        guard position == bytes.count else { throw error("unexpected data after the end of the document") }
    }

    // MARK: Scanning

    private mutating func skipValue(depth: Int) throws(JSONError) -> JSONValue {
        let kind = try peekKind()
        let start = position
        switch kind {
        case .object:
            guard depth < Self.maximumDepth else { throw error("nesting deeper than \(Self.maximumDepth) levels") }
            position += 1
            var first = true
            while try nextMember(&first) != nil { _ = try skipValue(depth: depth + 1) }
        case .array:
            guard depth < Self.maximumDepth else { throw error("nesting deeper than \(Self.maximumDepth) levels") }
            position += 1
            var first = true
            while try nextElement(&first) { _ = try skipValue(depth: depth + 1) }
        case .string:
            let s = try scanString()
            return JSONValue(kind: .string, range: start..<position, hasEscapes: s.hasEscapes)
        case .number: try scanNumber()
        case .bool: try scanLiteral(bytes[position] == UInt8(ascii: "t") ? "true" : "false")
        case .null: try scanLiteral("null")
        }
        return JSONValue(kind: kind, range: start..<position, hasEscapes: false)
    }

    /// Scans a string starting at its opening quote; returns its content range (no quotes).
    private mutating func scanString() throws(JSONError) -> JSONString {
        position += 1
        let start = position
        var hasEscapes = false
        // Strings with bytes past ASCII are checked to be UTF-8 (RFC 8259 §8.1) at their end.
        var highBits: UInt64 = 0
        while position < bytes.count {
            // Eight bytes at a time while none of them ends the string, starts an escape or
            // is a control character (SWAR: a high bit marks each byte that matches).
            while position + 8 <= bytes.count {
                let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: UInt64.self))
                let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
                let quote = word ^ (ones &* 0x22), backslash = word ^ (ones &* 0x5C)
                let special = ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((word &- ones &* 0x20) & ~word)
                guard special & highs == 0 else { break }
                highBits |= word & highs
                position += 8
            }
            guard position < bytes.count else { break }
            let b = bytes[position]
            if b == UInt8(ascii: "\"") {
                position += 1
                let content = start..<(position - 1)
                if highBits != 0, !UTF8Validation.isValid(UnsafeRawBufferPointer(rebasing: bytes[content])) {
                    position = start
                    throw error("string is not valid UTF-8")
                }
                return JSONString(range: content, hasEscapes: hasEscapes)
            }
            if b == UInt8(ascii: "\\") {
                hasEscapes = true
                try scanEscape()
                continue
            }
            if b < 0x20 { throw error("control character in string") }
            highBits |= UInt64(b & 0x80)
            position += 1
        }
        throw error("unterminated string")
    }

    private mutating func scanEscape() throws(JSONError) {
        position += 1
        guard position < bytes.count else { throw error("unterminated escape") }
        switch bytes[position] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
            UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            position += 1
        case UInt8(ascii: "u"):
            guard position + 4 < bytes.count else { throw error("unterminated \\u escape") }
            for i in 1...4 where JSONString.hexValue(bytes[position + i]) == nil {
                throw error("invalid \\u escape")
            }
            position += 5
        default:
            throw error("invalid escape '\\\(printable(bytes[position]))'")
        }
    }

    private mutating func scanNumber() throws(JSONError) {
        if peekByte() == UInt8(ascii: "-") { position += 1 }
        guard let d = peekByte(), isDigit(d) else { throw error("invalid number") }
        if d == UInt8(ascii: "0") {
            position += 1
        } else {
            skipDigits()
        }
        if peekByte() == UInt8(ascii: ".") {
            position += 1
            guard let d = peekByte(), isDigit(d) else { throw error("invalid number: digit expected after '.'") }
            skipDigits()
        }
        if let e = peekByte(), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            position += 1
            if let s = peekByte(), s == UInt8(ascii: "+") || s == UInt8(ascii: "-") { position += 1 }
            guard let d = peekByte(), isDigit(d) else { throw error("invalid number: digit expected in exponent") }
            skipDigits()
        }
    }

    private mutating func scanLiteral(_ literal: StaticString) throws(JSONError) {
        let n = literal.utf8CodeUnitCount
        guard position + n <= bytes.count else { throw error("unexpected end of input") }
        for i in 0..<n where bytes[position + i] != literal.utf8Start[i] {
            throw error("invalid literal")
        }
        position += n
    }

    // MARK: Helpers

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    private mutating func skipDigits() {
        while let d = peekByte(), isDigit(d) { position += 1 }
    }

    private func peekByte() -> UInt8? { position < bytes.count ? bytes[position] : nil }

    private func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    private mutating func expect(_ byte: UInt8, _ message: String) throws(JSONError) {
        skipWhitespace()
        guard peekByte() == byte else {
            throw error(position < bytes.count ? message : "unexpected end of input (\(message))")
        }
        position += 1
    }

    private func error(_ reason: String) -> JSONError { JSONError(reason, at: position) }

    private func printable(_ b: UInt8) -> String {
        b >= 0x20 && b < 0x7F ? String(UnicodeScalar(b)) : "\\x" + String(b, radix: 16)
    }
}

public enum JSONKind: Sendable, Equatable {
    case object, array, string, number, bool, null
}

/// Where a value lies in the document: `range` covers the whole value, quotes included.
public struct JSONValue: Sendable, Equatable {
    public var kind: JSONKind
    public var range: Range<Int>
    public var hasEscapes: Bool

    /// The content of a string value (without quotes).
    public var stringContent: JSONString? {
        kind == .string ? JSONString(range: (range.lowerBound + 1)..<(range.upperBound - 1), hasEscapes: hasEscapes) : nil
    }
}
