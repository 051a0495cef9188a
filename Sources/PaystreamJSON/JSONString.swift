/// A JSON string's content (between the quotes), decoded only on demand.
public struct JSONString: Sendable, Equatable {
    public var range: Range<Int>
    public var hasEscapes: Bool

    public init(range: Range<Int>, hasEscapes: Bool) {
        self.range = range
        self.hasEscapes = hasEscapes
    }

    /// The decoded text. Invalid UTF-8 and lone surrogates become U+FFFD.
    public func decoded(in bytes: UnsafeRawBufferPointer) -> String {
        let raw = UnsafeRawBufferPointer(rebasing: bytes[range])
        guard hasEscapes else { return String(decoding: raw, as: UTF8.self) }
        return String(decoding: unescaped(raw, strict: false)!, as: UTF8.self)
    }

    /// The decoded bytes, or nil when they are not valid UTF-8: invalid raw bytes, or a
    /// `\u` escape of an unpaired surrogate. For text that must not be altered (keys).
    public func strictlyDecoded(in bytes: UnsafeRawBufferPointer) -> [UInt8]? {
        let raw = UnsafeRawBufferPointer(rebasing: bytes[range])
        let decoded = hasEscapes ? unescaped(raw, strict: true) : Array(raw)
        guard let decoded, decoded.withUnsafeBytes({ UTF8Validation.isValid($0) }) else { return nil }
        return decoded
    }

    /// True when the content equals `text`, without allocating in the common case.
    public func equals(_ text: String, in bytes: UnsafeRawBufferPointer) -> Bool {
        if hasEscapes { return decoded(in: bytes) == text }
        // Most keys differ in length: decided without touching the string's storage.
        guard text.utf8.count == range.count else { return false }
        var text = text
        return text.withUTF8 { utf8 in
            utf8.count == range.count && memcmpEqual(UnsafeRawBufferPointer(utf8), UnsafeRawBufferPointer(rebasing: bytes[range]))
        }
    }

    private func memcmpEqual(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        for i in 0..<a.count where a[i] != b[i] { return false }
        return true
    }

    /// Nil only when `strict` and an escape is an unpaired surrogate (else U+FFFD).
    private func unescaped(_ raw: UnsafeRawBufferPointer, strict: Bool) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = 0
        while i < raw.count {
            let b = raw[i]
            guard b == UInt8(ascii: "\\"), i + 1 < raw.count else {
                out.append(b)
                i += 1
                continue
            }
            let e = raw[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = Self.hex4(raw, i)
                i += 4
                // A high surrogate followed by an escaped low surrogate forms one scalar.
                if (0xD800..<0xDC00).contains(scalar), i + 5 < raw.count, raw[i] == UInt8(ascii: "\\"), raw[i + 1] == UInt8(ascii: "u") {
                    let low = Self.hex4(raw, i + 2)
                    if (0xDC00..<0xE000).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                    }
                }
                guard let unicode = UnicodeScalar(scalar) else {
                    if strict { return nil }
                    out.append(contentsOf: [0xEF, 0xBF, 0xBD])  // U+FFFD
                    continue
                }
                out.append(contentsOf: Array(String(Character(unicode)).utf8))
            default: out.append(e)
            }
        }
        return out
    }

    private static func hex4(_ raw: UnsafeRawBufferPointer, _ at: Int) -> UInt32 {
        var v: UInt32 = 0
        for k in 0..<4 where at + k < raw.count { v = v << 4 | UInt32(hexValue(raw[at + k]) ?? 0) }
        return v
    }

    static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): b - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
