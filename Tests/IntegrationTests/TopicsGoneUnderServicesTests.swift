import Foundation
@_spi(ForTesting) import PaystreamKafka
import PaystreamMockAPI
import TestSupport
import Testing

/// Topics deleted, or the memory-only broker restarted empty, under running services. On
/// Tansu, librdkafka 2.8 as Debian ships it crashed here (SIGSEGV on its main thread: a
/// Fetch answer for an unknown topic id, then a freed entry in its metadata cache when the
/// topics came back with new ids); ops/setup patches both (ops/librdkafka-patches). The
/// services must keep running, and say nothing of a crash.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct TopicsGoneUnderServicesTests {
    /// Deterministic: the sink's next fetch of the deleted topic crashed it every time.
    @Test func aRunningSinkOutlivesATopicDeletedAndCreatedAgainUnderIt() async throws {
        try await withMockAPI(records: 60) { server, url in
            let pipeline = try PipelineFixture(server: server, baseURL: url)
            #expect(try await pipeline.runFetcher().status == 0)
            let sink = try await RunningProcess(ProjectPaths.executable("paystream-sink"), pipeline.sinkArguments)
            try await pipeline.waitUntilStoreEqualsAPI(while: sink)

            let refunds = try #require(pipeline.topics.first { $0.hasSuffix(".refunds") })
            try await KafkaAdmin(configuration: try TestBroker.client(), logger: KafkaFixtures.logger).deleteTopics([refunds])
            for index in 0..<60 { _ = server.dataset.update(.refunds, index: index) }
            #expect(try await pipeline.runFetcher().status == 0, "the fetcher creates the topic again")
            try await pipeline.waitUntilStoreEqualsAPI(while: sink)
            try await Self.expectStopsCleanly(sink)
        }
    }

    /// The broker restarted empty several times under a sink and two fetcher daemons (one
    /// alone, one in a group, on topics of its own); after each restart a one-shot fetcher
    /// creates the topics again (new ids, same names) and the sink catches up with the API.
    /// Intermittent before the patches: some restarts crashed the sink or a fetcher.
    @Test func aSinkAndFetcherDaemonsOutliveBrokerRestarts() async throws {
        try await withPrivateBroker { broker in
            try await withMockAPI(records: 60) { server, url in
                let pipeline = try PipelineFixture(server: server, baseURL: url, brokers: broker.address)
                #expect(try await pipeline.runFetcher().status == 0)
                let daemon = ["--config", pipeline.configPath, "--brokers", broker.address, "--interval", "2", "--partitions", "4"]
                let environment = ["PAYSTREAM_API_KEY": pipeline.apiKey]
                let sink = try await RunningProcess(ProjectPaths.executable("paystream-sink"), pipeline.sinkArguments)
                let fetcher = try await RunningProcess(
                    ProjectPaths.executable("paystream-fetcher"), daemon + ["--topic-prefix", pipeline.topicPrefix], environment: environment
                )
                // On topics of its own: only this test's restarts touch them. It must not
                // crash; how the fetcher carries on after a restart is DaemonBrokerRestartTests'.
                let member = try await RunningProcess(
                    ProjectPaths.executable("paystream-fetcher"),
                    daemon + ["--topic-prefix", uniqueName("grp"), "--group", uniqueName("fetchers"), "--session-timeout", "6"],
                    environment: environment
                )
                defer { [fetcher, member].forEach { $0.signal(SIGKILL) } }
                try await pipeline.waitUntilStoreEqualsAPI(while: sink)

                for round in 1...4 {
                    try await broker.restart()
                    for index in 0..<20 { _ = server.dataset.update(.customers, index: (round * 20 + index) % 60) }
                    #expect(try await pipeline.runFetcher().status == 0, "round \(round): the one-shot fetcher")
                    try await pipeline.waitUntilStoreEqualsAPI(while: sink)
                    #expect(fetcher.isRunning, "round \(round): the fetcher ended (\(fetcher.exit ?? "")):\n\(fetcher.stderrSoFar.suffix(3000))")
                    for process in [sink, fetcher, member] {
                        #expect(!Self.crashed(process), "round \(round): \(process.exit ?? "running"):\n\(process.stderrSoFar.suffix(3000))")
                    }
                }
                // The fetchers are killed (the defer above) rather than stopped: how they stop
                // after a restart is DaemonBrokerRestartTests' concern, not this test's.
                try await Self.expectStopsCleanly(sink)
            }
        }
    }

    /// Ended by a signal, or said it crashed.
    private static func crashed(_ process: RunningProcess) -> Bool {
        process.exit?.hasPrefix("signal") == true || process.stderrSoFar.contains("fatal signal")
    }

    /// SIGTERM: the process ends by itself with status 0, and no crash was reported.
    private static func expectStopsCleanly(_ process: RunningProcess) async throws {
        process.signal(SIGTERM)
        let result = try await process.result(timeout: .seconds(60))
        #expect(!result.wasSignaled && result.status == 0, "status \(result.status):\n\(result.stderr.suffix(3000))")
        #expect(!result.stderr.contains("fatal signal"), "\(result.stderr.suffix(3000))")
    }
}
