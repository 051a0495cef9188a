import Foundation
import PaystreamJSON
import Testing

@Suite struct JSONReaderTests {
    private func read(_ text: String) throws -> JSONValue {
        try Array(text.utf8).withUnsafeBytes { bytes in
            var reader = JSONReader(bytes)
            return try reader.readDocument()
        }
    }

    private func lookup(_ text: String, _ paths: [String]) throws -> [String?] {
        try Array(text.utf8).withUnsafeBytes { bytes in
            var reader = JSONReader(bytes)
            let found = try reader.lookup(try paths.map { try JSONPath(parsing: $0) })
            try reader.expectEnd()
            return found.map { $0?.scalarText(in: bytes) }
        }
    }

    @Test(arguments: [
        #"{"a":1,"b":[true,false,null],"c":{"d":"e"},"f":-1.5e3}"#, "[]", "{}", #""\u00e9\n""#, "0", " [1 , 2 ] ",
    ])
    func acceptsValidDocuments(_ text: String) throws {
        // The document's value spans the text but its surrounding blanks.
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let start = text.utf8.count - text.drop { $0 == " " }.utf8.count
        #expect(try read(text).range == start..<(start + trimmed.utf8.count))
    }

    @Test(arguments: [
        #"{"a":1"#, #"{"a":1,}"#, "[1,2", #"{"a":"unterminated}"#, "01", "1.", "-", "tru", #"{"a" 1}"#, "{} {}",
        "\"tab\tinside\"", #""\x""#, #""\u12""#, "",
    ])
    func rejectsInvalidOrTruncatedDocuments(_ text: String) {
        #expect(throws: JSONError.self) { try read(text) }
    }

    @Test func everyTruncationOfAPageIsDetected() throws {
        let page = #"{"data":[{"id":"cus_1","n":{"x":[1,2]}},{"id":"cus_2"}],"has_more":false}"#
        for cut in 1..<page.utf8.count {
            let truncated = String(page.utf8.prefix(cut))!
            #expect(throws: JSONError.self, "prefix of \(cut) bytes") { try read(truncated) }
        }
    }

    @Test func rejectsNestingDeeperThanTheLimit() {
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect(throws: JSONError.self) { try read(deep) }
    }

    @Test func looksUpNestedPathsInOnePass() throws {
        let doc = #"{"meta":{"next":"abc","total":3},"data":[1],"has_more":true,"k\"ey":"v"}"#
        #expect(try lookup(doc, ["meta.next", "$.meta.total", "has_more", "missing", "$['k\"ey']"]) == ["abc", "3", "true", nil, "v"])
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        let doc = #"{"s":"a\"b\\c\/d\u00e9\ud83d\ude00\n"}"#
        #expect(try lookup(doc, ["s"]) == ["a\"b\\c/dé😀\n"])
    }

    @Test func readsIntegersExactly() throws {
        try Array("[9223372036854775807,-42,1.5,1e3]".utf8).withUnsafeBytes { bytes in
            var reader = JSONReader(bytes)
            try reader.beginArray()
            var first = true
            var values: [Int64?] = []
            while try reader.nextElement(&first) { values.append(try reader.skipValue().int64(in: bytes)) }
            #expect(values == [Int64.max, -42, nil, nil])
        }
    }

    @Test func parsesDltStylePaths() throws {
        #expect(try JSONPath(parsing: "$.data").components == ["data"])
        #expect(try JSONPath(parsing: "results.items[*]").components == ["results", "items"])
        #expect(try JSONPath(parsing: "$['odd key'].x").components == ["odd key", "x"])
        #expect(throws: JSONPathError.self) { try JSONPath(parsing: "data[*].id") }
        #expect(throws: JSONPathError.self) { try JSONPath(parsing: "a..b") }
    }

    @Test func writerEscapesControlCharactersAndQuotes() {
        #expect(JSONWriter.quoted("a\"b\\\n\u{01}é") == #""a\"b\\\n\u0001é""#)
    }
}

@Suite struct JSONReaderUTF8Tests {
    /// Found by the fuzz harness: a string with bytes that are not UTF-8 was accepted.
    @Test(arguments: [[0x22, 0x7F, 0xF0, 0x22], [0x22, 0xC3, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0xFF, 0x22]] as [[UInt8]])
    func stringsThatAreNotUTF8AreRejected(_ bytes: [UInt8]) {
        #expect(throws: JSONError.self) { try Self.read(bytes) }
    }

    @Test func textPastASCIIIsRead() throws {
        #expect(try Self.read(Array(#"{"name":"Zoë 日本 😀 and more than eight bytes"}"#.utf8)) == .object)
    }

    private static func read(_ bytes: [UInt8]) throws -> JSONKind {
        let result: Result<JSONKind, JSONError> = bytes.withUnsafeBytes { raw in
            var reader = JSONReader(raw)
            return Result { () throws(JSONError) in try reader.readDocument().kind }
        }
        return try result.get()
    }
}
