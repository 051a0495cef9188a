import Foundation
import TestSupport
import Testing

/// With `--log-format json`, every line a command writes to standard error is a JSON log
/// object, the last one too: the fatal line, usage errors, errors found while parsing the
/// command line. No broker: the failures here happen before one is needed, or because
/// none answers.
@Suite(.timeLimit(.minutes(3)))
struct JSONLogTests {
    static let config = ProjectPaths.root.appendingPathComponent("demo/pipeline.yaml").path
    static let environment = ["PAYSTREAM_API_URL": "https://api.example.com", "PAYSTREAM_API_KEY": "k"]

    /// Every stderr line as an object with the standard fields; the last one.
    static func lines(_ result: ProcessResult) throws -> [[String: Any]] {
        let lines = result.stderr.split(separator: "\n")
        #expect(!lines.isEmpty, "nothing on stderr")
        return try lines.map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            let fields = try #require(object, "not a JSON log line: \(line)")
            #expect(fields["ts"] is String && fields["level"] is String && fields["logger"] is String && fields["message"] is String, "\(line)")
            return fields
        }
    }

    @Test func aConfigErrorIsAJSONLine() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(uniqueName("json-log") + ".yaml").path
        try "client: {base_url: http://x}\nresourcs: []\n".write(toFile: path, atomically: true, encoding: .utf8)
        let result = try await ProcessRunner.run(
            ProjectPaths.executable("paystream-fetcher"), ["--config", path, "--check", "--log-format", "json"],
            environment: Self.environment, timeout: .seconds(60)
        )
        #expect(result.status == 2)
        let last = try #require(try Self.lines(result).last)
        #expect(last["level"] as? String == "critical")
        #expect(last["logger"] as? String == "paystream-fetcher")
        #expect((last["message"] as? String)?.contains("resourcs") == true, "\(last)")
    }

    @Test func aRuntimeFailureEndsWithAJSONLine() async throws {
        let result = try await ProcessRunner.run(
            ProjectPaths.executable("paystream-status"), ["--config", Self.config, "--brokers", "127.0.0.1:1", "--log-format", "json"],
            environment: Self.environment, timeout: .seconds(90)
        )
        #expect(result.status == 1)
        let last = try #require(try Self.lines(result).last)
        #expect(last["level"] as? String == "critical")
        #expect((last["message"] as? String)?.contains("Kafka read cluster metadata failed") == true, "\(last)")
    }

    @Test func aUsageErrorWhileRunningIsAJSONLine() async throws {
        let result = try await ProcessRunner.run(
            ProjectPaths.executable("paystream-mock-api"), ["--api-key", "k", "--port", "0", "--faults", "500,gremlins", "--log-format", "json"],
            timeout: .seconds(60)
        )
        #expect(result.status == 2)
        let last = try #require(try Self.lines(result).last)
        #expect((last["message"] as? String)?.contains("gremlins") == true, "\(last)")
    }

    /// Parsing fails before logging is set up; the line still follows `--log-format`.
    @Test(arguments: [["--partitions", "0", "--log-format", "json"], ["--log-format=json", "--no-such-option"]])
    func aCommandLineErrorIsAJSONLineWhenJSONWasAskedFor(_ arguments: [String]) async throws {
        let result = try await ProcessRunner.run(
            ProjectPaths.executable("paystream-fetcher"), ["--config", Self.config, "--check"] + arguments,
            environment: Self.environment, timeout: .seconds(60)
        )
        #expect(result.status == 2)
        let lines = try Self.lines(result)
        #expect(lines.count == 1)
        #expect(lines.first?["level"] as? String == "critical")
    }
}
