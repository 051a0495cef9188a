import Foundation
import PaystreamKafka
import PaystreamMessageFormat
@testable import PaystreamStore
import TestSupport
import Testing

/// SIGTERM ends the sink within its stated bound (README, "The sink": 10 seconds) whatever
/// the broker or the database is doing, and it never commits what it did not write: what
/// it abandons is read again at the next start. The margin covers process start-up and a
/// busy machine; the bound itself is the product's.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct SinkStopTests {
    static let bound = Duration.seconds(10)
    static let margin = Duration.seconds(5)

    /// SIGTERM, then the process's end, and how long that took.
    static func stop(_ sink: RunningProcess) async throws -> (ProcessResult, Duration) {
        let sent = ContinuousClock.now
        sink.signal(SIGTERM)
        let result = try await sink.result(timeout: .seconds(60))
        return (result, .now - sent)
    }

    /// Waits until the process has printed `text`; fails if it ends first.
    static func waitFor(_ text: String, in process: RunningProcess, timeout: Duration = .seconds(60)) async throws {
        let deadline = ContinuousClock.now + timeout
        while !process.stderrSoFar.contains(text) {
            guard process.isRunning else { throw TestFailure("it exited (\(process.exit ?? "")) before printing '\(text)':\n\(process.stderrSoFar.suffix(3000))") }
            guard ContinuousClock.now < deadline else { throw TestFailure("no '\(text)' after \(timeout):\n\(process.stderrSoFar.suffix(3000))") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    @Test func theBrokerKilledWhileTheSinkWritesThenSigtermEndsItWithinTheBound() async throws {
        try await withPrivateBroker { broker in
            try await withMockAPI(records: 2000) { server, url in
                let pipeline = try PipelineFixture(server: server, baseURL: url, brokers: broker.address)
                #expect(try await pipeline.runFetcher().status == 0)
                let messages = try await pipeline.messages()
                // Small batches: the sink is still writing (from what it fetched) when the broker dies.
                // With the probes, as deployed: their last check of the broker is part of the exit.
                let sink = try await RunningProcess(ProjectPaths.executable("paystream-sink"),
                                                    pipeline.sinkArguments + ["--batch-size", "100", "--http-address", "127.0.0.1:0"])
                try await pipeline.waitForRows(1000, while: sink)
                await broker.stop()
                // Long enough for offset commits and a look for new partitions to be under way.
                try await Task.sleep(for: .seconds(4))
                #expect(sink.isRunning, "\(sink.stderrSoFar.suffix(2000))")

                let (result, took) = try await Self.stop(sink)
                #expect(took < Self.bound + Self.margin, "SIGTERM took \(took)")
                #expect(result.status == 0 && !result.wasSignaled, "everything read was written: \(result.status)\n\(result.stderr.suffix(3000))")
                #expect(result.stderr.contains("sink finished"), "\(result.stderr.suffix(2000))")
                try Self.expectStoreIsAPrefix(of: messages, pipeline)
            }
        }
    }

    /// The store holds exactly the messages before its offsets: every row comes from one of
    /// them, and every key among them has its row.
    static func expectStoreIsAPrefix(of messages: [KafkaConsumedMessage], _ pipeline: PipelineFixture) throws {
        let stored = try pipeline.storedOffsets()
        var expected: [String: Set<String>] = [:]
        for m in messages where m.offset < stored[m.topicPartition, default: 0] {
            expected[m.topic, default: []].insert(String(decoding: m.key ?? [], as: UTF8.self))
        }
        for resource in PipelineFixture.resources {
            let topic = MessageTopics(prefix: pipeline.topicPrefix).records(resource)
            let rows = Set(try pipeline.rows(#"SELECT id FROM "\#(resource)""#).map { $0[0] ?? "" })
            #expect(rows == expected[topic, default: []], "\(resource): \(rows.count) rows for \(expected[topic, default: []].count) keys before the stored offsets")
        }
    }

    @Test func sigtermWhileTheBrokerIsUnreachableAtStartEndsTheSinkWithinTheBound() async throws {
        try await withPrivateBroker { broker in
            try await withMockAPI(records: 10) { server, url in
                let pipeline = try PipelineFixture(server: server, baseURL: url, brokers: broker.address)
                await broker.stop()
                let sink = try await RunningProcess(ProjectPaths.executable("paystream-sink"), pipeline.sinkArguments)
                try await Task.sleep(for: .seconds(3))
                #expect(sink.isRunning, "it waits for the broker: \(sink.stderrSoFar.suffix(2000))")
                let (result, took) = try await Self.stop(sink)
                #expect(took < Self.bound + Self.margin, "SIGTERM took \(took)")
                #expect(result.status == 0 && !result.wasSignaled, "nothing was read, nothing is lost: \(result.status)\n\(result.stderr.suffix(3000))")
            }
        }
    }

    /// Another process holds the database's write lock (the sink would wait up to 10
    /// minutes): SIGTERM cuts the wait short, and the batch is not written.
    @Test func sigtermWhileABatchWaitsForTheDatabaseLockEndsTheSinkWithinTheBound() async throws {
        try await withMockAPI(records: 100) { server, url in
            let pipeline = try PipelineFixture(server: server, baseURL: url)
            let sink = try await RunningProcess(ProjectPaths.executable("paystream-sink"), pipeline.sinkArguments)
            try await Self.waitFor("does not exist yet", in: sink)
            let holder = try SQLiteDatabase(path: pipeline.databasePath)
            try holder.execute("BEGIN IMMEDIATE")
            #expect(try await pipeline.runFetcher().status == 0)
            try await Self.waitFor("locked by another process", in: sink)

            let (result, took) = try await Self.stop(sink)
            try holder.execute("ROLLBACK")
            #expect(took < Self.bound + Self.margin, "SIGTERM took \(took)")
            #expect(result.status == 1 && !result.wasSignaled, "a batch read was not written: \(result.status)\n\(result.stderr.suffix(3000))")
            #expect(result.stderr.contains("database lock"), "it says why: \(result.stderr.suffix(2000))")
            #expect(try pipeline.totalRows() == 0)
            #expect(try pipeline.storedOffsets().isEmpty)
            let committed = try await KafkaFixtures.committedOffsets(group: pipeline.group, topics: pipeline.topics)
            #expect(committed.values.allSatisfy { $0 <= 0 }, "Kafka heard of nothing: \(committed)")
        }
    }

    /// The lock is taken before the sink starts: it waits while opening the store.
    @Test func sigtermWhileOpeningALockedStoreEndsTheSinkWithinTheBound() async throws {
        try await withMockAPI(records: 10) { server, url in
            let pipeline = try PipelineFixture(server: server, baseURL: url)
            let holder = try SQLiteDatabase(path: pipeline.databasePath)
            try holder.execute("PRAGMA journal_mode = WAL")
            try holder.execute("BEGIN IMMEDIATE")
            let sink = try await RunningProcess(ProjectPaths.executable("paystream-sink"), pipeline.sinkArguments)
            try await Self.waitFor("locked by another process", in: sink)
            let (result, took) = try await Self.stop(sink)
            try holder.execute("ROLLBACK")
            #expect(took < Self.bound + Self.margin, "SIGTERM took \(took)")
            #expect(result.status == 0 && !result.wasSignaled, "nothing was read: \(result.status)\n\(result.stderr.suffix(3000))")
        }
    }

    /// Dead letters the broker will never acknowledge (it died while the batch that holds
    /// them was being written): the batch is abandoned, not committed anywhere.
    @Test func sigtermWhileDeadLettersWaitForADeadBrokerEndsTheSinkWithinTheBound() async throws {
        try await withPrivateBroker { broker in
            try await withMockAPI(records: 50) { server, url in
                let pipeline = try PipelineFixture(server: server, baseURL: url, brokers: broker.address)
                #expect(try await pipeline.runFetcher().status == 0)
                let client = KafkaClientConfiguration(bootstrapServers: [broker.address], clientID: "paystream-tests")
                let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(client: client), logger: KafkaFixtures.logger)
                _ = try await producer.sendAndWait(topic: pipeline.topics[0], key: Array("cus_bad".utf8), value: Array("not json".utf8))
                await producer.close()

                // One batch holds every message; the harness pauses before setting aside the bad one.
                let sink = try await RunningProcess(ProjectPaths.executable("SinkTestHarness"),
                                                    pipeline.sinkArguments + ["--pause-before-dead-letters", "3"])
                try await Self.waitFor("pausing before dead letters", in: sink)
                await broker.stop()
                let (result, took) = try await Self.stop(sink)
                #expect(took < Self.bound + Self.margin, "SIGTERM took \(took)")
                #expect(result.status == 1 && !result.wasSignaled, "the batch was not written: \(result.status)\n\(result.stderr.suffix(3000))")
                #expect(result.stderr.contains("dead letter"), "it says what it abandoned: \(result.stderr.suffix(2000))")
                #expect(try pipeline.totalRows() == 0, "the batch was rolled back")
                #expect(try pipeline.storedOffsets().isEmpty)
            }
        }
    }

    @Test(arguments: ["0", "3601", "nan", "inf"])
    func aBrokerTimeoutOutOfRangeIsAUsageError(_ value: String) async throws {
        try await withMockAPI(records: 1) { server, url in
            let pipeline = try PipelineFixture(server: server, baseURL: url)
            let result = try await pipeline.runSink(extra: ["--broker-timeout", value])
            #expect(result.status == 2 && result.stderr.contains("--broker-timeout"), "\(result.status): \(result.stderr.suffix(1000))")
            #expect(!FileManager.default.fileExists(atPath: pipeline.databasePath), "nothing was started")
        }
    }

    /// The last resort: the writer stuck where nothing gives up (a test hook that sleeps a
    /// minute): the process still ends within the bound, and says it did not finish.
    @Test func aWriterThatDoesNotFinishInTimeIsLeftBehindAtTheBound() async throws {
        try await withMockAPI(records: 50) { server, url in
            let pipeline = try PipelineFixture(server: server, baseURL: url)
            #expect(try await pipeline.runFetcher().status == 0)
            let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(client: try TestBroker.client()), logger: KafkaFixtures.logger)
            let bad = try await producer.sendAndWait(topic: pipeline.topics[0], key: Array("cus_bad".utf8), value: Array("not json".utf8))
            await producer.close()
            let sink = try await RunningProcess(ProjectPaths.executable("SinkTestHarness"), pipeline.sinkArguments + ["--pause-before-dead-letters", "60"])
            try await Self.waitFor("pausing before dead letters", in: sink)
            let (result, took) = try await Self.stop(sink)
            #expect(took < Self.bound + Self.margin, "SIGTERM took \(took)")
            #expect(result.status == 1 && !result.wasSignaled, "\(result.status)\n\(result.stderr.suffix(3000))")
            #expect(result.stderr.contains("did not finish stopping"), "\(result.stderr.suffix(2000))")
            // The batch in the writer's hands (the one with the dead letter) was not committed;
            // batches before it may have been.
            let stored = try pipeline.storedOffsets()[KafkaTopicPartition(topic: bad.topic, partition: bad.partition)] ?? 0
            #expect(stored <= bad.offset, "the store's offset \(stored) is past the dead letter's \(bad.offset)")
        }
    }

    /// `--until-caught-up` stopped before it caught up: what it read is in the store, but it
    /// does not report the work as done (exit status 3, README "Exit codes").
    @Test func untilCaughtUpStoppedBeforeItCaughtUpExitsThree() async throws {
        try await withSinkCatchingUp { _, pipeline, messages, sink in
            let (result, took) = try await Self.stop(sink)
            #expect(took < Self.bound + Self.margin, "SIGTERM took \(took)")
            #expect(result.status == 3 && !result.wasSignaled, "\(result.status)\n\(result.stderr.suffix(3000))")
            #expect(result.stderr.contains("stopped on request before --until-caught-up"), "\(result.stderr.suffix(2000))")
            #expect(try pipeline.totalRows() < 10_000, "it had not caught up")
            try Self.expectStoreIsAPrefix(of: messages, pipeline)
        }
    }

    /// Small fetches and prefetch (64 kB of the topics' 5 MB): a sink cannot catch up from
    /// what it already holds. (A broker of the test's own: the shared one's metadata, with
    /// every test's topics, is larger than these settings let a client receive.)
    static let smallFetches = [
        "fetch.max.bytes=65536", "max.partition.fetch.bytes=16384", "queued.max.messages.kbytes=64",
        "message.max.bytes=60000", "receive.message.max.bytes=100000",
    ].flatMap { ["--kafka-property", $0] }

    /// `--until-caught-up` whose broker dies: it gives up after `--broker-timeout` without
    /// progress instead of waiting for ever, with what it has written kept.
    @Test func untilCaughtUpGivesUpWhenTheBrokerStopsAnswering() async throws {
        try await withSinkCatchingUp(["--broker-timeout", "5"]) { broker, pipeline, messages, sink in
            await broker.stop()
            let result = try await sink.result(timeout: .seconds(90))
            #expect(result.status == 1 && !result.wasSignaled, "\(result.status)\n\(result.stderr.suffix(3000))")
            #expect(result.stderr.contains("--broker-timeout"), "it says what it waited for: \(result.stderr.suffix(2000))")
            try Self.expectStoreIsAPrefix(of: messages, pipeline)
        }
    }

    /// A sink `--until-caught-up` (small fetches, small batches) on a broker of the test's own
    /// holding 2,000 records per resource, handed to `body` once it wrote 500 rows.
    private func withSinkCatchingUp(
        _ extra: [String] = [], _ body: (PrivateBroker, PipelineFixture, [KafkaConsumedMessage], RunningProcess) async throws -> Void
    ) async throws {
        try await withPrivateBroker { broker in
            try await withMockAPI(records: 2000) { server, url in
                let pipeline = try PipelineFixture(server: server, baseURL: url, brokers: broker.address)
                #expect(try await pipeline.runFetcher().status == 0)
                let messages = try await pipeline.messages()
                let sink = try await RunningProcess(ProjectPaths.executable("paystream-sink"), pipeline.sinkArguments + [
                    "--until-caught-up", "--batch-size", "100",
                ] + extra + Self.smallFetches)
                try await pipeline.waitForRows(500, while: sink)
                try await body(broker, pipeline, messages, sink)
            }
        }
    }
}
