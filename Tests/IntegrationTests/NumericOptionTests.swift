import Foundation
import TestSupport
import Testing

/// Every numeric option is checked as the command line is parsed: a value out of range is a
/// usage error (exit status 2) that names the option and what it allows, before any work,
/// and `--check` reports it too. No broker: nothing here may get as far as contacting one.
@Suite(.timeLimit(.minutes(3)))
struct NumericOptionTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var command: String
        var arguments: [String]
        var option: String
        var allowed: String

        var testDescription: String { "\(command) \(arguments.suffix(2).joined(separator: " "))" }
    }

    static let config = ProjectPaths.root.appendingPathComponent("demo/pipeline.yaml").path
    static let fetcher = ["--config", config, "--check"]
    static let sink = ["--config", config, "--db", "never-created.sqlite", "--check"]
    static let mock = ["--api-key", "k"]
    static let seconds = "from 0.001 to 31536000"
    static let environment = ["PAYSTREAM_API_URL": "https://api.example.com", "PAYSTREAM_API_KEY": "k"]

    static let cases: [Case] = [
        Case(command: "paystream-fetcher", arguments: fetcher + ["--partitions", "0"], option: "--partitions", allowed: "from 1 to 100000"),
        Case(command: "paystream-fetcher", arguments: fetcher + ["--interval=-5"], option: "--interval", allowed: seconds),
        Case(command: "paystream-fetcher", arguments: fetcher + ["--interval", "0"], option: "--interval", allowed: seconds),
        Case(command: "paystream-fetcher", arguments: fetcher + ["--interval", "nan"], option: "--interval", allowed: seconds),
        Case(command: "paystream-fetcher", arguments: fetcher + ["--interval", "inf"], option: "--interval", allowed: seconds),
        Case(command: "paystream-fetcher", arguments: fetcher + ["--interval", "soon"], option: "--interval", allowed: seconds),
        Case(command: "paystream-fetcher", arguments: fetcher + ["--page-concurrency", "0"], option: "--page-concurrency", allowed: "from 1 to 1000"),
        Case(command: "paystream-fetcher", arguments: fetcher + ["--session-timeout", "0"], option: "--session-timeout", allowed: "from 0.001 to 3600"),
        Case(command: "paystream-fetcher", arguments: fetcher + ["--checkpoint-interval=-1"], option: "--checkpoint-interval", allowed: seconds),
        Case(command: "paystream-fetcher", arguments: fetcher + ["--progress-interval", "0"], option: "--progress-interval", allowed: seconds),
        Case(command: "paystream-fetcher", arguments: fetcher + ["--partitions", "1.5"], option: "--partitions", allowed: "a whole number from 1 to 100000"),
        Case(command: "paystream-fetcher", arguments: fetcher + ["--http-address", ":65536"], option: "--http-address", allowed: "port from 0 to 65535"),
        Case(command: "paystream-sink", arguments: sink + ["--batch-size", "0"], option: "--batch-size", allowed: "from 1 to 1000000"),
        Case(command: "paystream-mock-api", arguments: mock + ["--port", "65536"], option: "--port", allowed: "from 0 to 65535"),
        Case(command: "paystream-mock-api", arguments: mock + ["--records=-1"], option: "--records", allowed: "from 0 to 100000000"),
        Case(command: "paystream-mock-api", arguments: mock + ["--fault-rate", "1.5"], option: "--fault-rate", allowed: "from 0 to 1"),
        Case(command: "paystream-mock-api", arguments: mock + ["--truncate-rate=-0.1"], option: "--truncate-rate", allowed: "from 0 to 1"),
        Case(command: "paystream-mock-api", arguments: mock + ["--latency-ms=-1"], option: "--latency-ms", allowed: "from 0 to 3600000"),
        Case(command: "paystream-mock-api", arguments: mock + ["--token-lifetime", "0"], option: "--token-lifetime", allowed: "from 1 to 31536000"),
        Case(command: "paystream-mock-api", arguments: mock + ["--ties=-1"], option: "--ties", allowed: "from 0 to 10000"),
        Case(command: "paystream-mock-api", arguments: mock + ["--page-size-cap", "0"], option: "--page-size-cap", allowed: "from 1 to 10000"),
        Case(command: "paystream-mock-api", arguments: mock + ["--updates-per-second=-1"], option: "--updates-per-second", allowed: "from 0 to 1000000"),
        Case(command: "paystream-mock-api", arguments: mock + ["--creates-per-second", "nan"], option: "--creates-per-second", allowed: "from 0 to 1000000"),
    ]

    @Test(arguments: cases)
    func aValueOutOfRangeIsAUsageErrorNamingTheOptionAndTheRange(_ c: Case) async throws {
        // With the config's variables set, the check itself would pass.
        let result = try await ProcessRunner.run(ProjectPaths.executable(c.command), c.arguments, environment: Self.environment, timeout: .seconds(60))
        #expect(result.status == 2, "exit status \(result.status); stderr: \(result.stderr.prefix(500)); stdout: \(result.stdout.prefix(300))")
        #expect(result.stderr.contains(c.option) && result.stderr.contains(c.allowed), "\(result.stderr.prefix(500))")
        #expect(!result.stdout.contains("config OK"))
    }

    /// The limits are shown in the help with the defaults, which are inside them.
    @Test func theHelpShowsEachRangeAndDefault() async throws {
        let help = try await ProcessRunner.run(ProjectPaths.executable("paystream-fetcher"), ["--help"], timeout: .seconds(60))
        #expect(help.status == 0)
        let text = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(text.contains("(from 1 to 100000; default: 8)"), "\(help.stdout)")
        #expect(text.contains("(from 0.001 to 31536000; default: 60)"), "\(help.stdout)")
        let check = try await ProcessRunner.run(
            ProjectPaths.executable("paystream-fetcher"), Self.fetcher + ["--interval", "0.5", "--partitions", "1"],
            environment: Self.environment, timeout: .seconds(60)
        )
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stdout.contains("1 partitions"), "\(check.stdout)")
    }
}
