import Foundation
import TestSupport
import Testing

/// Options whose value is one of a few words: ArgumentParser reads them into enums and
/// refuses any other word, naming the option and the choices (exit status 2).
extension ConfigCheckTests {
    @Test(arguments: [([String](), "delete the row"), (["--delete-mode", "hard"], "delete the row"), (["--delete-mode", "soft"], "mark the row (_paystream_deleted_at)")])
    func theSinkPlanSaysWhatATombstoneDoes(option: [String], effect: String) async throws {
        let sink = try await Self.run("paystream-sink", ["--config", Self.demo(), "--db", "x.sqlite", "--check"] + option)
        #expect(sink.status == 0, "\(sink.stderr)")
        #expect(sink.stdout.contains("  tombstones   \(effect)\n"), "\(sink.stdout)")
    }

    @Test func anUnknownDeleteModeExits2NamingTheChoices() async throws {
        let sink = try await Self.run("paystream-sink", ["--config", Self.demo(), "--db", "x.sqlite", "--check", "--delete-mode", "sideways"])
        #expect(sink.status == 2)
        #expect(sink.stderr.contains("The value 'sideways' is invalid for '--delete-mode <delete-mode>'. Please provide one of 'hard' and 'soft'."), "\(sink.stderr)")
    }

    @Test(arguments: ["paystream-fetcher", "paystream-sink", "paystream-status"])
    func anUnknownLogFormatExits2NamingTheChoices(command: String) async throws {
        let result = try await Self.run(command, ["--config", Self.demo(), "--log-format", "xml"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("The value 'xml' is invalid for '--log-format <log-format>'. Please provide one of 'text' and 'json'."), "\(result.stderr)")
    }

    @Test func anUnknownMockCursorFormatExits2NamingTheChoices() async throws {
        let mock = try await Self.run("paystream-mock-api", ["--api-key", "k", "--port", "0", "--cursor-format", "nanos"])
        #expect(mock.status == 2)
        #expect(mock.stderr.contains("The value 'nanos' is invalid for '--cursor-format <cursor-format>'. Please provide one of 'millis', 'seconds', 'epoch-seconds' or 'sequence'."), "\(mock.stderr)")
    }
}
