import Foundation
import PaystreamMockAPI
import TestSupport
import Testing

/// Daemon modes: SIGTERM ends both services cleanly and promptly.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct LifecycleTests {
    @Test func theFetcherDaemonSyncsOnItsIntervalAndStopsCleanlyOnSigterm() async throws {
        try await withMockAPI(records: 200) { server, url in
            let pipeline = try PipelineFixture(server: server, baseURL: url, incremental: true)
            let fetcher = try await RunningProcess(
                ProjectPaths.executable("paystream-fetcher"),
                ["--config", pipeline.configPath, "--brokers", pipeline.brokers, "--topic-prefix", pipeline.topicPrefix,
                 "--interval", "1", "--progress-interval", "0.5"],
                environment: ["PAYSTREAM_API_KEY": pipeline.apiKey]
            )
            // Two syncs: the second one starts from the first one's cursor.
            let deadline = ContinuousClock.now + .seconds(60)
            while ContinuousClock.now < deadline, fetcher.stderrSoFar.components(separatedBy: "sync complete").count <= 10 {
                try await Task.sleep(for: .milliseconds(100))
            }
            fetcher.signal(SIGTERM)
            let stopped = ContinuousClock.now
            let result = try await fetcher.result(timeout: .seconds(30))
            #expect(result.status == 0 && !result.wasSignaled, "\(result.stderr.suffix(2000))")
            #expect(ContinuousClock.now - stopped < .seconds(10))
            #expect(result.stderr.contains("progress"))
            #expect(result.stderr.components(separatedBy: "sync complete").count > 10, "two syncs of five resources")
            #expect(try await pipeline.savedCursors().count == 5)
        }
    }

    /// A request in flight to an API that takes its time (or a retry's pause) does not hold
    /// up SIGTERM: it is cancelled, and the round resumes from its checkpoint next time.
    @Test(arguments: [["--interval", "1"], ["--interval", "1", "--group", uniqueName("slow-api")]])
    func sigtermWhileTheAPIIsSlowEndsTheFetcherWithinTheBound(mode: [String]) async throws {
        try await withMockAPI(records: 200) { server, url in
            server.faults.latency = .seconds(60)
            let pipeline = try PipelineFixture(server: server, baseURL: url)
            let fetcher = try await RunningProcess(
                ProjectPaths.executable("paystream-fetcher"),
                ["--config", pipeline.configPath, "--brokers", pipeline.brokers, "--topic-prefix", pipeline.topicPrefix, "--session-timeout", "6"] + mode,
                environment: ["PAYSTREAM_API_KEY": pipeline.apiKey]
            )
            try await Self.waitFor("round 1 begins", in: fetcher)
            try await Task.sleep(for: .seconds(1))
            fetcher.signal(SIGTERM)
            let stopped = ContinuousClock.now
            let result = try await fetcher.result(timeout: .seconds(60))
            #expect(result.status == 0 && !result.wasSignaled, "\(result.stderr.suffix(2000))")
            // README, "Exit codes": within 10 s; the rest is the test's margin for a loaded machine.
            #expect(ContinuousClock.now - stopped < .seconds(25), "\(result.stderr.suffix(2000))")
        }
    }

    private static func waitFor(_ text: String, in process: RunningProcess) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while !process.stderrSoFar.contains(text) {
            guard ContinuousClock.now < deadline, process.isRunning else { throw TestFailure("no '\(text)':\n\(process.stderrSoFar.suffix(3000))") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    @Test func theSinkStopsCleanlyOnSigtermWithEverythingCommitted() async throws {
        try await withMockAPI(records: 300) { server, url in
            let pipeline = try PipelineFixture(server: server, baseURL: url)
            #expect(try await pipeline.runFetcher().status == 0)
            let sink = try await RunningProcess(ProjectPaths.executable("paystream-sink"), pipeline.sinkArguments,
                                          environment: ["PAYSTREAM_API_KEY": pipeline.apiKey])
            let deadline = ContinuousClock.now + .seconds(60)
            while ContinuousClock.now < deadline, (try? pipeline.totalRows()) ?? 0 < 1500 {
                try await Task.sleep(for: .milliseconds(100))
            }
            sink.signal(SIGTERM)
            let result = try await sink.result(timeout: .seconds(30))
            #expect(result.status == 0 && !result.wasSignaled, "\(result.stderr.suffix(2000))")
            #expect(result.stderr.contains("sink finished"))
            try pipeline.expectStoreEqualsAPI()
            let committed = try await KafkaFixtures.committedOffsets(group: pipeline.group, topics: pipeline.topics)
            #expect(committed.filter { $0.value > 0 } == (try await pipeline.highWatermarks()).filter { $0.value > 0 })
        }
    }
}
