import Foundation
import TestSupport
import Testing

/// `--check`, usage errors and `--version` on the real executables. No broker: a check must
/// not need one (the address given is one where nothing listens).
@Suite(.timeLimit(.minutes(3)))
struct ConfigCheckTests {
    static let secret = "sk_check_secret_0123"
    static let environment = ["PAYSTREAM_API_URL": "https://api.example.com", "PAYSTREAM_API_KEY": secret]
    static let nowhere = "127.0.0.1:1"

    static func demo(_ name: String = "pipeline.yaml") -> String { ProjectPaths.root.appendingPathComponent("demo/\(name)").path }

    static func run(_ command: String, _ arguments: [String], environment: [String: String] = environment) async throws -> ProcessResult {
        try await ProcessRunner.run(ProjectPaths.executable(command), arguments, environment: environment, timeout: .seconds(60))
    }

    @Test(arguments: ["pipeline.yaml", "pipeline-incremental.yaml"])
    func theDemoConfigsCheckWithoutABrokerAndPrintThePlan(config: String) async throws {
        let fetcher = try await Self.run("paystream-fetcher", ["--config", Self.demo(config), "--brokers", Self.nowhere, "--check"])
        #expect(fetcher.status == 0, "\(fetcher.stderr)")
        for resource in ["customers", "invoices", "charges", "subscriptions", "refunds"] {
            #expect(fetcher.stdout.contains("resource \(resource)\n  endpoint     GET /v1/\(resource) (data_selector: data)"))
            #expect(fetcher.stdout.contains("topic        paystream.\(resource), key: id"))
        }
        #expect(fetcher.stdout.contains("paginator    offset, limit 100"))
        #expect(fetcher.stdout.contains(config == "pipeline.yaml" ? "incremental  none" : "incremental  cursor updated_at, start_param updated_since"))
        #expect(fetcher.stdout.contains("api          https://api.example.com (auth: api_key in query 'api_key')"))
        #expect(fetcher.stdout.contains("127.0.0.1:1 (not contacted)"))
        #expect(fetcher.stdout.hasSuffix("config OK\n"))

        let db = FileManager.default.temporaryDirectory.appendingPathComponent(uniqueName("check") + ".sqlite").path
        let sink = try await Self.run("paystream-sink", ["--config", Self.demo(config), "--brokers", Self.nowhere, "--db", db, "--check"])
        #expect(sink.status == 0, "\(sink.stderr)")
        let rows = sink.stdout.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }
        for resource in ["customers", "invoices", "charges", "subscriptions", "refunds"] {
            #expect(rows.contains("paystream.\(resource) \(resource) id updated_at"), "\(sink.stdout)")
        }
        #expect(!FileManager.default.fileExists(atPath: db), "a check must not create the store")
        for result in [fetcher, sink] {
            #expect(!result.stdout.contains(Self.secret) && !result.stderr.contains(Self.secret))
        }
    }

    @Test func aCheckNeedsNoBrokersOption() async throws {
        let result = try await Self.run("paystream-fetcher", ["--config", Self.demo(), "--check"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("(no --brokers given)"))
    }

    @Test func anUnknownKeyExits2NamingIt() async throws {
        let text = try String(contentsOfFile: Self.demo(), encoding: .utf8)
            .replacingOccurrences(of: "path: /v1/invoices", with: "path: /v1/invoices\n      pagintor: {type: offset}")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(uniqueName("typo") + ".yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        for command in ["paystream-fetcher", "paystream-sink"] {
            let result = try await Self.run(command, ["--config", path, "--brokers", Self.nowhere, "--db", "x.sqlite", "--check"].filter { command == "paystream-sink" || ($0 != "--db" && $0 != "x.sqlite") })
            #expect(result.status == 2, "\(command): \(result.stderr)")
            // Where the key is written, as compilers say it: file, line and column.
            let line = text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("pagintor") }! + 1
            #expect(result.stderr.contains("\(path):\(line):7: config resources[1].endpoint.pagintor: unknown key"), "\(command): \(result.stderr)")
            #expect(!result.stdout.contains("config OK"))
        }
    }

    @Test func anUnsetVariableFailsTheFetchersCheckButNotTheSinks() async throws {
        // A variable name no environment sets (the runner's own PAYSTREAM_API_KEY might be).
        let variable = "PAYSTREAM_CHECK_UNSET_\(UInt32.random(in: 0...UInt32.max))"
        let text = try String(contentsOfFile: Self.demo(), encoding: .utf8).replacingOccurrences(of: "${PAYSTREAM_API_KEY}", with: "${\(variable)}")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(uniqueName("unset") + ".yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let fetcher = try await Self.run("paystream-fetcher", ["--config", path, "--check"])
        #expect(fetcher.status == 2)
        #expect(fetcher.stderr.contains("config client.auth.api_key: environment variable \(variable) is not set"), "\(fetcher.stderr)")
        // The sink never calls the API: it needs none of the API's variables.
        let sink = try await Self.run("paystream-sink", ["--config", path, "--db", "x.sqlite", "--check"])
        #expect(sink.status == 0, "\(sink.stderr)")
        #expect(sink.stdout.contains("config OK"))
    }

    @Test func kafkaPropertiesAreCheckedWithoutConnecting() async throws {
        let misspelt = try await Self.run("paystream-fetcher", ["--config", Self.demo(), "--check", "--kafka-property", "sasl.pasword=hunter2"])
        #expect(misspelt.status == 2)
        #expect(misspelt.stderr.contains("sasl.pasword"), "\(misspelt.stderr)")
        #expect(!misspelt.stderr.contains("hunter2"))

        let file = FileManager.default.temporaryDirectory.appendingPathComponent(uniqueName("kafka") + ".properties").path
        try "security.protocol=SASL_PLAINTEXT\nsasl.password=${KAFKA_TEST_PASSWORD}\n".write(toFile: file, atomically: true, encoding: .utf8)
        let unset = try await Self.run("paystream-sink", ["--config", Self.demo(), "--db", "x.sqlite", "--check", "--kafka-properties-file", file])
        #expect(unset.status == 2)
        #expect(unset.stderr.contains("KAFKA_TEST_PASSWORD is not set"), "\(unset.stderr)")

        var environment = Self.environment
        environment["KAFKA_TEST_PASSWORD"] = "pw-from-the-environment"
        let set = try await Self.run("paystream-sink", ["--config", Self.demo(), "--db", "x.sqlite", "--check", "--kafka-properties-file", file], environment: environment)
        #expect(set.status == 0, "\(set.stderr)")
        #expect(set.stdout.contains("sasl.password=***, security.protocol=***"))
        #expect(!set.stdout.contains("pw-from-the-environment"))
    }

    @Test(arguments: ["paystream-fetcher", "paystream-sink", "paystream-status", "paystream-mock-api"])
    func everyCommandHasVersionAndExits2OnUsageErrors(command: String) async throws {
        let version = try await Self.run(command, ["--version"])
        #expect(version.status == 0)
        // The mock API does not link librdkafka: it has none to name.
        #expect(version.stdout.hasPrefix(command == "paystream-mock-api" ? "0.1.0\n" : "0.1.0 (librdkafka 2."), "\(version.stdout)")

        let misspelt = try await Self.run(command, ["--log-level", "verbose"])
        #expect(misspelt.status == 2, "\(misspelt.stderr)")
        #expect(misspelt.stderr.contains("'verbose' is invalid for '--log-level"), "\(misspelt.stderr)")

        let unknown = try await Self.run(command, ["--no-such-option"])
        #expect(unknown.status == 2)
    }

    @Test func missingBrokersIsAUsageErrorUnlessChecking() async throws {
        let result = try await Self.run("paystream-fetcher", ["--config", Self.demo(), "--once"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--brokers is required"), "\(result.stderr)")
    }
}
