import Foundation
import PaystreamKafka
@testable import PaystreamStore
import TestSupport
import Testing

/// The sink when things around it fail: its database locked by another process, its
/// disk full, a message too large to set aside as it is.
@Suite(.serialized, .timeLimit(.minutes(4)))
struct SinkRobustnessTests {
    @Test func aDatabaseLockedByAnotherProcessIsWaitedFor() async throws {
        try await withMockAPI(records: 200) { server, url in
            let pipeline = try PipelineFixture(server: server, baseURL: url)
            #expect(try await pipeline.runFetcher().status == 0)
            // Someone holds the write lock (a sqlite3 shell in a transaction, say).
            let holder = try SQLiteDatabase(path: pipeline.databasePath)
            try holder.execute("PRAGMA journal_mode = WAL")
            try holder.execute("BEGIN IMMEDIATE")
            let sink = try await RunningProcess(ProjectPaths.executable("paystream-sink"), pipeline.sinkArguments + ["--until-caught-up"])
            let deadline = ContinuousClock.now + .seconds(60)
            while !sink.stderrSoFar.contains("locked by another process"), sink.isRunning, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(sink.isRunning, "the sink waits instead of failing: \(sink.stderrSoFar.suffix(2000))")
            try holder.execute("COMMIT")
            let result = try await sink.result(timeout: .seconds(60))
            #expect(result.status == 0, "\(result.stderr.suffix(3000))")
            #expect(result.stderr.contains("locked by another process"))
            try pipeline.expectStoreEqualsAPI()
        }
    }

    /// `--batch-size` is a limit, not an allocation: `Int.max` once trapped ("failed to
    /// allocate … bytes") before the first poll. It is refused now (the option's range ends
    /// at 1,000,000), and the largest accepted value is only a limit too.
    @Test func theLargestBatchSizeIsOnlyALimit() async throws {
        try await withMockAPI(records: 100) { server, url in
            let pipeline = try PipelineFixture(server: server, baseURL: url)
            #expect(try await pipeline.runFetcher().status == 0)
            let tooLarge = try await pipeline.runSink(extra: ["--until-caught-up", "--batch-size", String(Int.max)])
            #expect(tooLarge.status == 2 && tooLarge.stderr.contains("--batch-size"), "\(tooLarge.status): \(tooLarge.stderr.suffix(3000))")
            let sink = try await pipeline.runSink(extra: ["--until-caught-up", "--batch-size", "1000000"])
            #expect(sink.status == 0 && !sink.wasSignaled, "\(sink.status): \(sink.stderr.suffix(3000))")
            try pipeline.expectStoreEqualsAPI()
        }
    }

    /// A small filesystem of its own (tmpfs: needs root, which this machine kind has).
    @Test(.enabled(if: TinyFilesystem.canMount)) func aFullDiskStopsTheSinkWithNothingCommittedPastIt() async throws {
        try await withMockAPI(records: 1000) { server, url in
            try await TinyFilesystem.with(kilobytes: 1024) { filesystem in
                var pipeline = try PipelineFixture(server: server, baseURL: url)
                pipeline.databasePath = filesystem.path + "/store.sqlite"
                #expect(try await pipeline.runFetcher().status == 0)
                let full = try await pipeline.runSink(extra: ["--until-caught-up", "--batch-size", "200"])
                #expect(full.status != 0 && !full.wasSignaled, "\(full.stderr.suffix(3000))")
                #expect(full.stderr.contains("disk is full"), "\(full.stderr.suffix(3000))")
                let rows = try pipeline.totalRows()
                #expect(rows > 0 && rows < 5000, "the disk filled part-way (\(rows) rows)")
                // The store's offsets are its rows, and Kafka heard of nothing past them.
                let stored = try pipeline.storedOffsets()
                #expect(stored.values.reduce(0, +) == Int64(rows))
                let committed = try await KafkaFixtures.committedOffsets(group: pipeline.group, topics: pipeline.topics)
                #expect(committed.allSatisfy { $0.value <= stored[$0.key, default: 0] })
            }
        }
    }

    @Test func aDeadLetterTooLargeForTheBrokerIsCutWithAHeaderSayingSo() async throws {
        try await withMockAPI(records: 20) { server, url in
            let pipeline = try PipelineFixture(server: server, baseURL: url)
            #expect(try await pipeline.runFetcher().status == 0)
            let topic = "\(pipeline.topicPrefix).customers"
            let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(client: try TestBroker.client()), logger: KafkaFixtures.logger)
            let huge = Array(repeating: UInt8(ascii: "x"), count: 200_000)  // not JSON
            _ = try await producer.sendAndWait(topic: topic, key: Array("cus_huge".utf8), value: huge)
            await producer.close()

            // The sink may send at most 100 kB per message.
            let sink = try await pipeline.runSink(extra: ["--until-caught-up", "--kafka-property", "message.max.bytes=100000"])
            #expect(sink.status == 0, "\(sink.stderr.suffix(3000))")
            try pipeline.expectStoreEqualsAPI()
            let dead = try await pipeline.messages(on: [pipeline.deadLetterTopic])
            #expect(dead.count == 1)
            let letter = try #require(dead.first)
            #expect(letter.header("paystream.truncated")?.text == "200000")
            #expect((letter.value?.count ?? 0) > 50_000 && (letter.value?.count ?? 0) < 100_000)
            #expect(letter.value.map { $0.allSatisfy { $0 == UInt8(ascii: "x") } } == true, "the start of the original value")
            #expect(letter.header("paystream.origin.topic")?.text == topic)
        }
    }
}

/// A tmpfs of a given size, mounted for one test.
struct TinyFilesystem {
    let path: String

    static var canMount: Bool { getuid() == 0 }

    /// Runs `body` with a tmpfs of `kilobytes` mounted; unmounts it afterwards.
    static func with<T>(kilobytes: Int, _ body: (TinyFilesystem) async throws -> T) async throws -> T {
        let filesystem = TinyFilesystem(path: FileManager.default.temporaryDirectory.appendingPathComponent(uniqueName("paystream-tiny-fs")).path)
        try FileManager.default.createDirectory(atPath: filesystem.path, withIntermediateDirectories: true)
        let mounted = try await ProcessRunner.run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(kilobytes)k", "tmpfs", filesystem.path])
        guard mounted.status == 0 else { throw TestFailure("mount tmpfs: \(mounted.stderr)") }
        do {
            let result = try await body(filesystem)
            await filesystem.unmount()
            return result
        } catch {
            await filesystem.unmount()
            throw error
        }
    }

    private func unmount() async {
        _ = try? await ProcessRunner.run("/bin/umount", [path])
        try? FileManager.default.removeItem(atPath: path)
    }
}
