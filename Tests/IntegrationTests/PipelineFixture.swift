import Foundation
import PaystreamKafka
import PaystreamMessageFormat
import PaystreamMockAPI
@testable import PaystreamStore
import TestSupport
import Testing

/// One pipeline under test: a config pointing at an in-process mock API, unique topics and
/// group on the shared broker, a fresh SQLite file, and the real executables.
struct PipelineFixture {
    let server: MockAPIServer
    let apiKey: String
    var configPath: String
    var databasePath: String
    var topicPrefix = uniqueName("it")
    let group: String
    let brokers: String

    static let mockResources = MockResource.allCases
    static let resources = mockResources.map(\.rawValue)

    /// `incremental`: sync by `updated_at` windows (`updated_since` / `updated_before`).
    /// `endpoint`: more members of every resource's endpoint mapping (YAML flow style), e.g.
    /// another form of `incremental`; `errorHandler` replaces the defaults' error handler.
    /// `brokers`: another broker than the shared test broker (e.g. a `PrivateBroker`).
    init(
        server: MockAPIServer, baseURL: String, apiKey: String = "test-key-9f3c", incremental: Bool = false,
        endpoint: String? = nil, errorHandler: String = "{max_retries: 3, backoff_factor: 0.1}", brokers: String? = nil
    ) throws {
        self.server = server
        self.apiKey = apiKey
        self.brokers = try brokers ?? TestBroker.address()
        group = uniqueName("sink")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(uniqueName("pipeline"))
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        configPath = dir.appendingPathComponent("pipeline.yaml").path
        databasePath = dir.appendingPathComponent("store.sqlite").path
        var window = incremental
            ? ", incremental: {cursor_path: updated_at, start_param: updated_since, end_param: updated_before, initial_value: \"2023-01-01T00:00:00.000Z\"}"
            : ""
        if let endpoint { window += ", " + endpoint }
        let resources = Self.resources.map { """
              - name: \($0)
                endpoint: {path: /v1/\($0), data_selector: data, paginator: {type: offset, limit: 100}\(window)}
            """ }.joined(separator: "\n")
        let yaml = """
            client:
              base_url: \(baseURL)
              auth: {type: api_key, name: api_key, api_key: "${PAYSTREAM_API_KEY}", location: query}
            resource_defaults:
              primary_key: id
              write_disposition: merge
              endpoint:
                error_handler: \(errorHandler)
            resources:
            \(resources)
            """
        try yaml.write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    /// A second sink setup on the same topics with its own store (`database`.sqlite beside
    /// the first), in a new group unless `sameGroup`.
    init(sharingTopicsOf other: PipelineFixture, database: String = "replay", sameGroup: Bool = false) throws {
        server = other.server
        apiKey = other.apiKey
        configPath = other.configPath
        brokers = other.brokers
        topicPrefix = other.topicPrefix
        group = sameGroup ? other.group : uniqueName("sink")
        databasePath = other.databasePath.replacingOccurrences(of: "store.sqlite", with: "\(database).sqlite")
    }

    var topics: [String] { Self.resources.map(MessageTopics(prefix: topicPrefix).records) }

    /// Rows over all resource tables (0 before the sink created them).
    func totalRows() throws -> Int {
        let sql = Self.resources.map { #"(SELECT count(*) FROM "\#($0)")"# }.joined(separator: " + ")
        return Int(try rows("SELECT " + sql)[0][0] ?? "0") ?? 0
    }
    var stateTopic: String { MessageTopics(prefix: topicPrefix).state }

    /// The newest message per key on each resource topic (what a compacted topic keeps).
    func latestOnTopics(atLeast count: Int) async throws -> [String: [String: [UInt8]]] {
        // Every message up to each partition's end: a topic holds more messages than records.
        let messages = try await KafkaPartitionReader.readToEnd(
            topics, configuration: try TestBroker.consumer(group: uniqueName("latest"), brokers: brokers), logger: KafkaFixtures.logger, timeout: .seconds(60)
        )
        #expect(messages.count >= count)
        var latest: [String: [String: [UInt8]]] = [:]
        for m in messages.sorted(by: { ($0.topic, $0.partition, $0.offset) < ($1.topic, $1.partition, $1.offset) }) {
            latest[m.topic, default: [:]][String(decoding: m.key ?? [], as: UTF8.self)] = m.value
        }
        return latest
    }

    /// Asserts the topics hold the API's current version of every record (and nothing else).
    /// `comparable` strips what may differ between two reads of one version (a volatile field).
    func expectTopicsHoldNewestVersions(
        atLeast count: Int, comparable: ([UInt8]) -> [UInt8] = { $0 }, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let latest = try await latestOnTopics(atLeast: count)
        for resource in MockResource.allCases {
            let expected = Dictionary(uniqueKeysWithValues: server.dataset.currentRecords(resource).map { ($0.id, $0.json) })
            let onTopic = (latest["\(topicPrefix).\(resource.rawValue)"] ?? [:]).mapValues(comparable)
            let missing = Set(expected.keys).subtracting(onTopic.keys).count
            let stale = expected.filter { onTopic[$0.key] != nil && onTopic[$0.key] != $0.value }.count
            #expect(missing == 0 && stale == 0 && onTopic.count == expected.count,
                    "\(resource): \(missing) missing, \(stale) stale of \(expected.count)", sourceLocation: sourceLocation)
        }
    }

    /// The cursor each resource saved, from the state topic.
    func savedCursors() async throws -> [String: String] {
        var cursors: [String: String] = [:]
        for m in try await stateMessages(stateTopic) {
            let json = String(decoding: m.value ?? [], as: UTF8.self)
            if let range = json.range(of: #""cursor":""#) {
                cursors[String(decoding: m.key ?? [], as: UTF8.self)] = String(json[range.upperBound...].prefix { $0 != "\"" })
            }
        }
        return cursors
    }

    func runFetcher(apiKey: String? = nil, timeout: Duration = .seconds(120)) async throws -> ProcessResult {
        try await ProcessRunner.run(
            ProjectPaths.executable("paystream-fetcher"),
            ["--config", configPath, "--brokers", brokers, "--once", "--topic-prefix", topicPrefix, "--partitions", "4"],
            environment: ["PAYSTREAM_API_KEY": apiKey ?? self.apiKey], timeout: timeout
        )
    }

    /// Every message on `topics` (the resource topics by default), read to their ends.
    func messages(on topics: [String]? = nil) async throws -> [KafkaConsumedMessage] {
        try await KafkaPartitionReader.readToEnd(
            topics ?? self.topics, configuration: try TestBroker.consumer(group: uniqueName("messages"), brokers: brokers), logger: KafkaFixtures.logger,
            timeout: .seconds(60)
        )
    }

    var deadLetterTopic: String { MessageTopics(prefix: topicPrefix).deadLetter }

    var sinkArguments: [String] {
        ["--config", configPath, "--brokers", brokers, "--db", databasePath, "--topic-prefix", topicPrefix, "--group", group]
    }

    func runSink(extra: [String] = ["--until-caught-up"], environment: [String: String] = [:], timeout: Duration = .seconds(120)) async throws -> ProcessResult {
        try await ProcessRunner.run(
            ProjectPaths.executable("paystream-sink"), sinkArguments + extra,
            environment: environment.merging(["PAYSTREAM_API_KEY": apiKey]) { a, _ in a }, timeout: timeout
        )
    }

    /// The sink with test hooks (`SinkTestHarness`): `extra` may name a crash point or
    /// `--ignore-topic-ids`.
    func runSinkTestHarness(extra: [String], timeout: Duration = .seconds(120)) async throws -> ProcessResult {
        try await ProcessRunner.run(ProjectPaths.executable("SinkTestHarness"), sinkArguments + extra, timeout: timeout)
    }

    /// Rows of `sql` in the store, read through a separate connection.
    func rows(_ sql: String) throws -> [[String?]] {
        try SQLiteDatabase(path: databasePath).rows(sql, "test query")
    }

    /// Asserts that every table holds exactly the API's current records: every id once,
    /// each document byte for byte the API's.
    func expectStoreEqualsAPI(sourceLocation: SourceLocation = #_sourceLocation) throws {
        for resource in MockResource.allCases {
            let difference = try storeDifference(resource)
            #expect(difference == nil, "\(resource): \(difference ?? "")", sourceLocation: sourceLocation)
        }
    }

    /// How a table differs from the API's current records, or nil when it holds exactly them.
    func storeDifference(_ resource: MockResource) throws -> String? {
        let expected = Dictionary(uniqueKeysWithValues: server.dataset.currentRecords(resource).map { ($0.id, String(decoding: $0.json, as: UTF8.self)) })
        let rows = try rows(#"SELECT id, _paystream_document FROM "\#(resource.rawValue)""#)
        var stored: [String: String] = [:]
        for row in rows { stored[row[0]!] = row[1]! }
        let missing = Set(expected.keys).subtracting(stored.keys).count
        let extra = Set(stored.keys).subtracting(expected.keys).count
        let stale = expected.filter { stored[$0.key] != nil && stored[$0.key] != $0.value }.count
        guard rows.count != expected.count || stored.count != rows.count || missing + extra + stale > 0 else { return nil }
        return "\(rows.count) rows for \(expected.count) records: \(missing) missing, \(extra) extra, \(stale) stale, \(rows.count - stored.count) duplicate"
    }

    /// Waits until the store holds at least `count` rows; fails if `process` ends first.
    func waitForRows(_ count: Int, while process: some ObservedProcess, timeout: Duration = .seconds(60)) async throws {
        let deadline = ContinuousClock.now + timeout
        while (try? totalRows()) ?? 0 < count {
            guard process.isRunning else { throw TestFailure("the sink exited early (\(process.exit ?? "")):\n\(process.stderrSoFar.suffix(3000))") }
            guard ContinuousClock.now < deadline else { throw TestFailure("fewer than \(count) rows after \(timeout)") }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Waits until a running sink has made the store equal to the API.
    func waitUntilStoreEqualsAPI(while process: some ObservedProcess, timeout: Duration = .seconds(90)) async throws {
        let deadline = ContinuousClock.now + timeout
        while true {
            var differences: [String] = []
            for resource in MockResource.allCases {
                do {
                    if let difference = try storeDifference(resource) { differences.append("\(resource): \(difference)") }
                } catch {
                    differences.append("\(resource): \(error)")  // e.g. no table yet
                }
            }
            if differences.isEmpty { return }
            guard process.isRunning else { throw TestFailure("the sink exited early (\(process.exit ?? "")):\n\(process.stderrSoFar.suffix(3000))") }
            guard ContinuousClock.now < deadline else { throw TestFailure("the store still differs from the API: \(differences)") }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    /// Per partition, the end of each topic on the broker, as a consumer sees it.
    func highWatermarks() async throws -> [KafkaTopicPartition: Int64] {
        let configuration = try TestBroker.consumer(group: uniqueName("ends"), brokers: brokers)
        let topics = self.topics
        return try await onThread {
            let reader = try KafkaPartitionReader(configuration: configuration, logger: KafkaFixtures.logger)
            return try reader.endOffsets(reader.partitions(of: topics, timeout: .seconds(10)), timeout: .seconds(30))
        }
    }

    /// The offsets in the store's own table.
    func storedOffsets() throws -> [KafkaTopicPartition: Int64] {
        var result: [KafkaTopicPartition: Int64] = [:]
        for row in try rows("SELECT topic, partition, next_offset FROM _paystream_offsets") {
            result[KafkaTopicPartition(topic: row[0]!, partition: Int32(row[1]!)!)] = Int64(row[2]!)!
        }
        return result
    }
}
