import Foundation
import Logging
@testable import PaystreamCommandSupport
import Testing

@Suite struct JSONLogHandlerTests {
    func parse(_ line: [UInt8]) throws -> [String: Any] {
        #expect(line.last == UInt8(ascii: "\n"), "one line per event")
        #expect(!line.dropLast().contains(UInt8(ascii: "\n")), "no newline inside the line")
        return try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
    }

    @Test func writesOneObjectWithTheMetadataAsFields() throws {
        let line = JSONLogHandler.line(
            time: Date(timeIntervalSince1970: 1_700_000_000.25), level: .warning, label: "paystream.sink",
            message: "set aside \"bad\"\nmessage", metadata: ["kafka.topic": "paystream.customers", "kafka.partition": "3"]
        )
        let object = try parse(line)
        #expect(object["ts"] as? String == "2023-11-14T22:13:20.250Z")
        #expect(object["level"] as? String == "warning")
        #expect(object["logger"] as? String == "paystream.sink")
        #expect(object["message"] as? String == "set aside \"bad\"\nmessage")
        #expect(object["kafka.topic"] as? String == "paystream.customers")
        #expect(object["kafka.partition"] as? Int == 3)
    }

    @Test func keepsReservedNamesAndNestedValuesApart() throws {
        let line = JSONLogHandler.line(
            time: Date(), level: .info, label: "l", message: "m",
            metadata: ["message": "shadow", "list": ["a", "b"], "map": ["k": "v", "n": .stringConvertible(42)]]
        )
        let object = try parse(line)
        #expect(object["message"] as? String == "m")
        #expect(object["metadata.message"] as? String == "shadow")
        #expect(object["list"] as? [String] == ["a", "b"])
        #expect((object["map"] as? [String: Any])?["k"] as? String == "v")
        #expect((object["map"] as? [String: Any])?["n"] as? Int == 42)
    }

    @Test func aLoggerWritesThroughTheHandlerWithItsOwnMetadata() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("json-log-\(UUID().uuidString)").path
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let output = JSONLogOutput(try FileHandle(forWritingTo: URL(fileURLWithPath: path)))
        var logger = Logger(label: "paystream.fetcher") { JSONLogHandler(label: $0, level: .info, output: output) }
        logger[metadataKey: "paystream.resource"] = "refunds"
        logger.debug("not written: below the level")
        logger.info("sync complete", metadata: ["records": "250"])
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 1)
        let object = try parse(Array((lines[0] + "\n").utf8))
        #expect(object["paystream.resource"] as? String == "refunds")
        #expect(object["records"] as? Int == 250)
        #expect(object["message"] as? String == "sync complete")
    }

    /// A value whose text is a plain decimal number is a JSON number, `true` and `false` are
    /// booleans, whether the code logged a number or interpolated one into text; anything
    /// else stays a string, digits that a JSON reader could not hold exactly included.
    @Test(arguments: [
        ("250", "250"), ("-3", "-3"), ("0.5", "0.5"), ("-0.25", "-0.25"), ("0", "0"), ("123456789012345", "123456789012345"),
        ("true", "true"), ("false", "false"),
        ("007", #""007""#), ("1e5", #""1e5""#), ("1.", #""1.""#), (".5", #"".5""#), ("-", #""-""#), ("+1", #""+1""#), ("", #""""#),
        ("1234567890123456", #""1234567890123456""#), ("2026-11-30", #""2026-11-30""#), ("True", #""True""#), ("1 000", #""1 000""#),
        ("NaN", #""NaN""#), ("inf", #""inf""#),
    ])
    func metadataThatReadsAsANumberOrABooleanIsWrittenAsOne(text: String, json: String) {
        let line = String(decoding: JSONLogHandler.line(time: Date(), level: .info, label: "l", message: "m", metadata: ["v": .string(text)]), as: UTF8.self)
        #expect(line.hasSuffix(#","v":\#(json)}\#n"#), "\(line)")
    }

    @Test func numbersAndBooleansLoggedAsValuesAreJSONValues() throws {
        let object = try parse(JSONLogHandler.line(
            time: Date(), level: .info, label: "l", message: "m",
            metadata: ["count": .stringConvertible(12), "rate": .stringConvertible(0.5), "done": .stringConvertible(true), "list": [.stringConvertible(1), "x"]]
        ))
        #expect(object["count"] as? Int == 12)
        #expect(object["rate"] as? Double == 0.5)
        #expect(object["done"] as? Bool == true)
        #expect((object["list"] as? [Any])?.first as? Int == 1)
    }
}
