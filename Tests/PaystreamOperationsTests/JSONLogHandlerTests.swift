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
        #expect(object["kafka.partition"] as? String == "3")
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
        #expect(object["map"] as? [String: String] == ["k": "v", "n": "42"])
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
        #expect(object["records"] as? String == "250")
        #expect(object["message"] as? String == "sync complete")
    }
}
