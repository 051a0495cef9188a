import Foundation
import PaystreamKafka
import PaystreamMessageFormat
import PaystreamMockAPI
@testable import PaystreamStore
import TestSupport
import Testing

/// A fetcher group under test: the five resources, customers split into slices of a
/// bounded incremental window (every record lies inside it), fetchers started as processes
/// in one group on unique topics, and what a `read_committed` reader sees afterwards.
struct GroupFixture {
    let server: MockAPIServer
    let apiKey = "test-key-9f3c"
    let configPath: String
    let topics = MessageTopics(prefix: uniqueName("grp"))
    let group = uniqueName("fetchers")
    let brokers: String
    static let slices = 4

    init(server: MockAPIServer, baseURL: String, resources: [MockResource] = MockResource.allCases) throws {
        self.server = server
        brokers = try TestBroker.address()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(uniqueName("group"))
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        configPath = dir.appendingPathComponent("pipeline.yaml").path
        let items = resources.map { r in
            let slicing = r != .customers ? "" : """

                    incremental: {cursor_path: updated_at, start_param: updated_since, end_param: updated_before,
                      initial_value: "2024-01-01T00:00:00.000Z", end_value: "2024-03-01T00:00:00.000Z"}
                  columns: {updated_at: {x-paystream-slices: \(Self.slices)}}
              """
            return """
                - name: \(r.rawValue)
                  endpoint:
                    path: /v1/\(r.rawValue)
                    data_selector: data
                    paginator: {type: offset, limit: 100}\(slicing)
              """
        }.joined(separator: "\n")
        let yaml = """
            client:
              base_url: \(baseURL)
              auth: {type: api_key, name: api_key, api_key: "${PAYSTREAM_API_KEY}", location: query}
            resource_defaults:
              primary_key: id
              endpoint:
                error_handler: {max_retries: 3, backoff_factor: 0.1}
            resources:
            \(items)
            """
        try yaml.write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    /// A member of the group, syncing once; pages one at a time so a sync takes a while.
    func startFetcher(_ extra: [String] = []) async throws -> RunningProcess {
        try await RunningProcess(
            ProjectPaths.executable("paystream-fetcher"),
            ["--config", configPath, "--brokers", brokers, "--once", "--topic-prefix", topics.prefix, "--partitions", "4",
             "--group", group, "--session-timeout", "6", "--page-concurrency", "1", "--progress-interval", "1"] + extra,
            environment: ["PAYSTREAM_API_KEY": apiKey]
        )
    }

    func startFetchers(_ count: Int, _ extra: [String] = []) async throws -> [RunningProcess] {
        var members: [RunningProcess] = []
        for _ in 0..<count { members.append(try await startFetcher(extra)) }
        return members
    }

    /// Every message on the resource topics, as a `read_committed` reader sees them.
    func recordMessages(_ resources: [MockResource] = MockResource.allCases) async throws -> [KafkaConsumedMessage] {
        try await KafkaPartitionReader.readToEnd(
            resources.map { topics.records($0.rawValue) }, configuration: try TestBroker.consumer(group: uniqueName("reader")),
            logger: KafkaFixtures.logger, timeout: .seconds(60)
        )
    }

    /// Each record version exactly once: per topic as many messages as the API has records,
    /// every key once, each value the API's.
    func expectEachRecordExactlyOnce(_ resources: [MockResource] = MockResource.allCases, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let messages = try await recordMessages(resources)
        for resource in resources {
            let expected = Dictionary(uniqueKeysWithValues: server.dataset.currentRecords(resource).map { ($0.id, $0.json) })
            let onTopic = messages.filter { $0.topic == topics.records(resource.rawValue) }
            let keys = onTopic.map { String(decoding: $0.key ?? [], as: UTF8.self) }
            #expect(onTopic.count == expected.count, "\(resource): \(onTopic.count) messages for \(expected.count) records (\(keys.count - Set(keys).count) repeated)", sourceLocation: sourceLocation)
            #expect(Set(keys) == Set(expected.keys), "\(resource): keys differ", sourceLocation: sourceLocation)
            #expect(onTopic.allSatisfy { expected[String(decoding: $0.key ?? [], as: UTF8.self)] == $0.value }, "\(resource): values differ", sourceLocation: sourceLocation)
        }
    }

    /// The newest value of every key on the state topic (checkpoints and claims).
    func stateValues() async throws -> [String: String] {
        try await newestStateValues(topics.state).mapValues { String(decoding: $0, as: UTF8.self) }
    }

    /// The units' ids: whole resources, and customers' slices.
    static var unitIDs: [String] {
        MockResource.allCases.flatMap { r in r == .customers ? (0..<slices).map { "customers#\($0)" } : [r.rawValue] }
    }

    /// Each member's end, in order. Should one not end in time, every member's account of
    /// its units goes into the failure (a group waits for its slowest member's units).
    static func results(of members: [RunningProcess], timeout: Duration = .seconds(120)) async throws -> [ProcessResult] {
        var results: [ProcessResult] = []
        for member in members {
            do {
                results.append(try await member.result(timeout: timeout))
            } catch {
                for (i, m) in members.enumerated() { Issue.record("member \(i) (\(m.exit ?? "running")):\n\(unitLines(m.stderrSoFar))") }
                throw error
            }
        }
        return results
    }

    /// What a member did with its units, for a failure's message (no progress lines).
    static func unitLines(_ log: String) -> String {
        log.split(separator: "\n").filter { !$0.contains("progress") && !$0.contains("librdkafka") }.suffix(60).joined(separator: "\n")
    }

    /// Waits until `process` has written `text` to standard error.
    static func waitFor(_ text: String, in process: RunningProcess, timeout: Duration = .seconds(60)) async throws {
        let deadline = ContinuousClock.now + timeout
        while !process.stderrSoFar.contains(text) {
            guard ContinuousClock.now < deadline, process.isRunning else {
                throw TestFailure("no '\(text)' from the fetcher; stderr:\n\(process.stderrSoFar.suffix(3000))")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}

extension GroupFixture {
    func runSink(database: String) async throws -> ProcessResult {
        try await ProcessRunner.run(
            ProjectPaths.executable("paystream-sink"),
            ["--config", configPath, "--brokers", brokers, "--db", database, "--topic-prefix", topics.prefix,
             "--group", uniqueName("sink"), "--until-caught-up"],
            environment: ["PAYSTREAM_API_KEY": apiKey], timeout: .seconds(120)
        )
    }

    /// Every table holds exactly the API's records, each document byte for byte.
    func expectStoreEqualsAPI(_ database: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let db = try SQLiteDatabase(path: database)
        for resource in MockResource.allCases {
            let expected = Dictionary(uniqueKeysWithValues: server.dataset.currentRecords(resource).map { ($0.id, String(decoding: $0.json, as: UTF8.self)) })
            let rows = try db.rows(#"SELECT id, _paystream_document FROM "\#(resource.rawValue)""#, "test query")
            let stored = Dictionary(rows.map { ($0[0]!, $0[1]!) }, uniquingKeysWith: { a, _ in a })
            #expect(rows.count == expected.count && stored == expected, "\(resource): \(rows.count) rows for \(expected.count) records", sourceLocation: sourceLocation)
        }
    }
}
