import Foundation
import PaystreamKafka
import TestSupport
import Testing

/// The sink killed with SIGKILL after its SQLite transaction committed but before it
/// committed offsets to Kafka: on restart it must resume from the offsets stored with the
/// rows, so nothing is lost and nothing is applied twice. The crash point is a hook of the
/// test harness build of the sink; the shipped executable has none.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct SinkCrashTests {
    @Test func killedAfterWriteBeforeCommitLosesNothingAndDuplicatesNothing() async throws {
        try await withMockAPI(records: 400) { server, url in
            let pipeline = try PipelineFixture(server: server, baseURL: url)
            #expect(try await pipeline.runFetcher().status == 0)

            let crashed = try await pipeline.runSinkTestHarness(extra: ["--batch-size", "300", "--until-caught-up", "--crash-after-batches", "2"])
            #expect(crashed.wasSignaled && crashed.status == SIGKILL, "sink should have died by SIGKILL: \(crashed.stderr.suffix(2000))")
            let written = Int(try pipeline.rows("SELECT (SELECT count(*) FROM customers) + (SELECT count(*) FROM invoices) + (SELECT count(*) FROM charges) + (SELECT count(*) FROM subscriptions) + (SELECT count(*) FROM refunds)")[0][0]!)!
            #expect(written > 0 && written < 2000, "the crash should come mid-sync; \(written) rows were written")
            let storedBeforeRestart = try pipeline.storedOffsets()
            #expect(storedBeforeRestart.values.reduce(0, +) == Int64(written), "the store's offsets match its rows")
            let committedBeforeRestart = try await KafkaFixtures.committedOffsets(group: pipeline.group, topics: pipeline.topics)
            #expect(committedBeforeRestart.values.reduce(0, +) < Int64(written), "Kafka lags the store: the last batch's offsets were never committed")

            let resumed = try await pipeline.runSink()
            #expect(resumed.status == 0, "sink stderr:\n\(resumed.stderr.suffix(4000))")
            try pipeline.expectStoreEqualsAPI()
            let ends = try await pipeline.highWatermarks().filter { $0.value > 0 }
            #expect(try pipeline.storedOffsets() == ends)
            // Messages applied after the restart: exactly those the store had not yet seen.
            let applied = resumed.stderr.split(separator: "\n").last { $0.contains("sink finished") }.flatMap { line in
                line.split(separator: " ").first { $0.hasPrefix("messages=") }.map { Int($0.dropFirst("messages=".count)) }
            }
            #expect(applied == 2000 - written, "the restarted sink re-applied messages it had already stored")
        }
    }
}
