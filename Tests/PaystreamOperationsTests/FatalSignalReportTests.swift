import Foundation
@testable import PaystreamCommandSupport
import Testing

/// The crash line is prepared at start-up; the signal handler only adds the time.
@Suite struct FatalSignalReportTests {
    @Test func theJSONLineIsOneObjectOnceTheHandlerAddsTheTime() throws {
        let (before, after) = FatalSignalReport.lines(command: "paystream-sink", format: .json, signals: [SIGSEGV, SIGABRT])
        for (signal, rest) in zip(["SIGSEGV", "SIGABRT"], after) {
            let line = before + "2026-12-07T20:40:16.123Z" + rest
            #expect(line.hasSuffix("}\n") && line.filter { $0 == "\n" }.count == 1)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
            #expect(object["ts"] == "2026-12-07T20:40:16.123Z")
            #expect(object["level"] == "critical")
            #expect(object["logger"] == "paystream-sink")
            #expect(object["signal"] == signal)
            #expect(object["message"]?.hasPrefix("fatal signal \(signal) (crash") == true)
        }
    }

    @Test func theTextLineReadsLikeALogLine() {
        let (before, after) = FatalSignalReport.lines(command: "paystream-fetcher", format: .text, signals: [SIGSEGV])
        #expect(before + "2026-12-07T20:40:16+0000" + after[0]
            == "2026-12-07T20:40:16+0000 critical paystream-fetcher: fatal signal SIGSEGV (crash: invalid memory access); paystream-fetcher ends now, killed by signal 11\n")
    }
}
