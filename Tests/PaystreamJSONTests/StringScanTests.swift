import PaystreamJSON
import Testing

/// Strings are scanned eight bytes at a time: every position of a quote, an escape or a
/// control character within and across those words must still be found.
@Suite struct StringScanTests {
    private func scan(_ bytes: [UInt8]) throws -> (JSONValue, String) {
        try bytes.withUnsafeBytes { raw in
            var reader = JSONReader(raw)
            let value = try reader.readDocument()
            return (value, value.stringContent!.decoded(in: raw))
        }
    }

    @Test func anEscapeOrTheClosingQuoteAtEveryPositionIsFound() throws {
        for length in 0..<40 {
            let plain = String(repeating: "é", count: length / 2) + String(repeating: "a", count: length % 2)
            let (value, text) = try scan(Array("\"\(plain)\"".utf8))
            #expect(text == plain && value.range.count == plain.utf8.count + 2 && !value.hasEscapes)
            for at in 0...length {
                let prefix = String(repeating: "b", count: at), suffix = String(repeating: "c", count: length - at)
                let (escaped, decoded) = try scan(Array(#""\#(prefix)\"\#(suffix)""#.utf8))
                #expect(escaped.hasEscapes && decoded == prefix + "\"" + suffix)
            }
        }
    }

    @Test func aControlCharacterAtEveryPositionIsRejected() {
        for length in 1..<24 {
            for at in 0..<length {
                var bytes = [UInt8(ascii: "\"")] + Array(repeating: UInt8(ascii: "x"), count: length) + [UInt8(ascii: "\"")]
                bytes[1 + at] = 0x1F
                #expect(throws: JSONError.self) { _ = try scan(bytes) }
            }
        }
    }
}
