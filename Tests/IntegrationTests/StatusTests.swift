import Foundation
import PaystreamKafka
import PaystreamMockAPI
import PaystreamMessageFormat
import TestSupport
import Testing

/// `paystream-status` against a real pipeline: cursors from the state topic, messages per
/// topic, the store's offsets and lag.
@Suite(.serialized, .timeLimit(.minutes(4)))
struct StatusTests {
    func status(_ pipeline: PipelineFixture, _ extra: [String]) async throws -> ProcessResult {
        try await ProcessRunner.run(
            ProjectPaths.executable("paystream-status"),
            ["--config", pipeline.configPath, "--brokers", pipeline.brokers, "--topic-prefix", pipeline.topicPrefix] + extra,
            environment: ["PAYSTREAM_API_KEY": pipeline.apiKey], timeout: .seconds(90)
        )
    }

    func json(_ result: ProcessResult) throws -> [String: Any] {
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    @Test func showsEveryCursorAndNoLagOnceTheSinkCaughtUp() async throws {
        try await withMockAPI(records: 200) { server, url in
            let pipeline = try PipelineFixture(server: server, baseURL: url, incremental: true)
            #expect(try await pipeline.runFetcher().status == 0)
            let cursors = try await pipeline.savedCursors()
            #expect(cursors.count == 5)

            // Before any sink: cursors, the last sync and the messages on each topic.
            let before = try json(try await status(pipeline, ["--json"]))
            let resources = try #require(before["resources"] as? [[String: Any]])
            #expect(resources.map { $0["name"] as? String } == PipelineFixture.resources)
            for resource in resources {
                let name = try #require(resource["name"] as? String)
                #expect(resource["cursor"] as? String == cursors[name], "\(name)")
                #expect(resource["messages"] as? Int == 200)
                #expect(resource["last_sync_records"] as? Int == 200)
                #expect(resource["last_completed_sync"] is String)
                #expect((resource["state"] as? [String: Any])?["cursor"] as? String == cursors[name])
            }
            #expect(before["store"] == nil)

            #expect(try await pipeline.runSink().status == 0)
            let after = try json(try await status(pipeline, ["--json", "--db", pipeline.databasePath]))
            let store = try #require(after["store"] as? [String: Any])
            #expect(store["lag"] as? Int == 0)
            let partitions = try #require(store["partitions"] as? [[String: Any]])
            #expect(partitions.count == 20)
            let ends = try await pipeline.highWatermarks()
            for p in partitions {
                #expect(p["lag"] as? Int == 0)
                let end = try #require(p["end"] as? Int)
                #expect(Int64(end) == ends.first { $0.key.topic == p["topic"] as? String && Int($0.key.partition) == p["partition"] as? Int }?.value)
                if end > 0 { #expect(p["stored_offset"] as? Int == end) }
            }

            // For people: the same, as a table.
            let table = try await status(pipeline, ["--db", pipeline.databasePath])
            #expect(table.status == 0, "\(table.stderr)")
            for (name, cursor) in cursors {
                #expect(table.stdout.split(separator: "\n").contains { $0.hasPrefix(name) && $0.contains(cursor) && $0.contains("200 records") }, "\(table.stdout)")
            }
            #expect(table.stdout.contains("Store \(pipeline.databasePath): lag 0 message(s)"))

            // New versions published and not yet written show up as lag, partition by partition.
            for index in 0..<7 { server.dataset.update(.customers, index: index) }
            #expect(try await pipeline.runFetcher().status == 0)
            let lagging = try json(try await status(pipeline, ["--json", "--db", pipeline.databasePath]))
            let expected = try await pipeline.highWatermarks().values.reduce(0, +) - (try pipeline.storedOffsets().values.reduce(0, +))
            #expect(expected > 0)
            #expect((lagging["store"] as? [String: Any])?["lag"] as? Int == Int(expected))
        }
    }

    /// The table's last completed sync is the newest completed one, also when that sync saved
    /// no cursor: a resource without `incremental`, or an incremental sync that found nothing
    /// new (its cursor stays where the sync before left it).
    @Test(arguments: [false, true])
    func theLastCompletedSyncIsTheNewestCompletedOne(incremental: Bool) async throws {
        try await withMockAPI(records: 120) { server, url in
            let pipeline = try PipelineFixture(server: server, baseURL: url, incremental: incremental)
            #expect(try await pipeline.runFetcher().status == 0)
            #expect(try await pipeline.runFetcher().status == 0)
            // The second sync read everything again, or (incremental) nothing new.
            let records = incremental ? 0 : 120
            let table = try await status(pipeline, [])
            #expect(table.status == 0, "\(table.stderr)")
            let lines = table.stdout.split(separator: "\n").map(String.init)
            #expect(lines.first == "Kafka \(pipeline.brokers) · topics \(pipeline.topicPrefix).<resource> · state in \(pipeline.stateTopic)", "\(table.stdout)")
            for resource in PipelineFixture.resources {
                let line = try #require(lines.first { $0.hasPrefix(resource + " ") }, "\(table.stdout)")
                #expect(line.contains("#2 at ") && line.contains(", \(records) records") && line.contains("#2 completed at"), "\(line)")
            }
            let object = try json(try await status(pipeline, ["--json"]))
            for resource in try #require(object["resources"] as? [[String: Any]]) {
                let newest = try #require(resource["current_sync"] as? [String: Any])
                #expect(resource["last_completed_round"] as? Int == 2)
                #expect(resource["last_completed_sync"] as? String == newest["updated_at"] as? String, "\(resource)")
                #expect(resource["last_sync_records"] as? Int == records)
            }
        }
    }

    /// Status reads the Kafka side only: like the sink, it starts without the API's
    /// variables (an unset `${NAME}` is left as written).
    @Test func statusNeedsNoneOfTheAPIsVariables() async throws {
        let suffix = UInt32.random(in: 0...UInt32.max)
        let text = try String(contentsOfFile: ProjectPaths.root.appendingPathComponent("demo/pipeline.yaml").path, encoding: .utf8)
            .replacingOccurrences(of: "${PAYSTREAM_API_URL}", with: "${STATUS_UNSET_URL_\(suffix)}")
            .replacingOccurrences(of: "${PAYSTREAM_API_KEY}", with: "${STATUS_UNSET_KEY_\(suffix)}")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(uniqueName("status") + ".yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let result = try await ProcessRunner.run(
            ProjectPaths.executable("paystream-status"), ["--config", path, "--brokers", try TestBroker.address(), "--topic-prefix", uniqueName("nothing")],
            timeout: .seconds(90)
        )
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("customers"), "\(result.stdout)")
    }

    @Test func anUnreachableBrokerIsARuntimeFailureNamingIt() async throws {
        let result = try await ProcessRunner.run(
            ProjectPaths.executable("paystream-status"),
            ["--config", ProjectPaths.root.appendingPathComponent("demo/pipeline.yaml").path, "--brokers", "127.0.0.1:1"],
            environment: ["PAYSTREAM_API_URL": "http://x", "PAYSTREAM_API_KEY": "k"], timeout: .seconds(90)
        )
        #expect(result.status == 1)
        #expect(result.stderr.contains("paystream-status: Kafka read cluster metadata failed"), "\(result.stderr)")
    }

    /// Kafka credentials from a properties file: substituted from the environment, used by
    /// librdkafka, never printed, even with librdkafka's configuration dump on.
    @Test func kafkaSecretsFromAFileNeverReachTheLog() async throws {
        let secret = "kafka-secret-\(UUID().uuidString)"
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(uniqueName("kafka") + ".properties").path
        try """
            # librdkafka logs its whole configuration at debug with debug=conf
            debug=conf,security
            sasl.username=svc-paystream
            sasl.password=${TEST_KAFKA_SECRET}
            ssl.key.password=${TEST_KAFKA_SECRET}
            client.id=${TEST_CLIENT_ID}
            """.write(toFile: file, atomically: true, encoding: .utf8)
        let result = try await ProcessRunner.run(
            ProjectPaths.executable("paystream-status"),
            ["--config", ProjectPaths.root.appendingPathComponent("demo/pipeline.yaml").path, "--brokers", try TestBroker.address(),
             "--topic-prefix", uniqueName("secrets"), "--kafka-properties-file", file, "--log-level", "debug"],
            environment: ["PAYSTREAM_API_URL": "http://x", "PAYSTREAM_API_KEY": "k", "TEST_KAFKA_SECRET": secret, "TEST_CLIENT_ID": "client-from-file"],
            timeout: .seconds(90)
        )
        #expect(result.status == 0, "\(result.stderr.suffix(3000))")
        // The file was read and substituted: librdkafka reports the client id it was given.
        #expect(result.stderr.contains("client.id = client-from-file"), "\(result.stderr.suffix(3000))")
        #expect(result.stderr.contains("sasl.password = [redacted]"))
        #expect(!result.stderr.contains(secret) && !result.stdout.contains(secret), "the secret leaked")
    }
}
