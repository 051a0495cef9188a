import Foundation
import PaystreamKafka
import PaystreamMockAPI
import TestSupport
import Testing

/// Both daemons under a broker that goes away and comes back empty (a cluster rebuilt; every
/// restart of the memory-only Tansu): while it is away the fetcher counts failed syncs and is
/// unready; once it is back, the fetcher creates its topics again with the partitions it
/// needs and syncs everything again, and the sink rebuilds the store from the new topics.
/// Neither process crashes or is restarted.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct DaemonBrokerRestartTests {
    @Test func aBrokerThatComesBackEmptyIsFilledAgainAndTheStoreEqualsTheAPI() async throws {
        try await withPrivateBroker { broker in
            try await withMockAPI(records: 300) { server, url in
                let pipeline = try PipelineFixture(server: server, baseURL: url, incremental: true, brokers: broker.address)
                let fetcher = try await RunningProcess(
                    ProjectPaths.executable("paystream-fetcher"),
                    ["--config", pipeline.configPath, "--brokers", broker.address, "--topic-prefix", pipeline.topicPrefix,
                     "--partitions", "3", "--interval", "1", "--broker-timeout", "5", "--http-address", "127.0.0.1:0", "--log-format", "json"],
                    environment: ["PAYSTREAM_API_KEY": pipeline.apiKey]
                )
                let address = try await OperationsFixture.listeningAddress(of: fetcher)
                let sink = try await RunningProcess(
                    ProjectPaths.executable("paystream-sink"), pipeline.sinkArguments, environment: ["PAYSTREAM_API_KEY": pipeline.apiKey]
                )
                try await pipeline.waitUntilStoreEqualsAPI(while: sink)

                await broker.stop()
                let unready = try await OperationsFixture.waitFor(address, "/readyz", what: "unready without a broker") { status, _ in status == 503 }
                #expect(unready.body.contains(broker.address), "\(unready.body)")
                // Records change while the broker is away.
                for resource in PipelineFixture.mockResources {
                    for index in 0..<50 { _ = server.dataset.update(resource, index: index) }
                    for _ in 0..<20 { _ = server.dataset.create(resource) }
                }
                _ = try await OperationsFixture.waitFor(address, "/metrics", what: "a failed sync counted") { _, body in
                    OperationsFixture.samples("paystream_fetcher_syncs_total", in: body).contains { $0.key.contains("result=failure") && $0.value > 0 }
                }

                try await broker.start()
                do {
                    try await pipeline.waitUntilStoreEqualsAPI(while: sink, timeout: .seconds(150))
                } catch {
                    Issue.record("fetcher:\n\(fetcher.stderrSoFar.suffix(4000))")
                    throw error
                }
                _ = try await OperationsFixture.waitFor(address, "/readyz", what: "ready again") { status, _ in status == 200 }
                #expect(fetcher.isRunning, "\(fetcher.exit ?? "")\n\(fetcher.stderrSoFar.suffix(3000))")
                #expect(sink.isRunning, "\(sink.exit ?? "")\n\(sink.stderrSoFar.suffix(3000))")
                #expect(fetcher.stderrSoFar.contains("was lost with every unit's checkpoint"), "the fetcher says what it lost")
                // Created again by the fetcher with its own partition count, not the broker's default.
                let counts = try await onThread {
                    try KafkaPartitionReader(configuration: try TestBroker.consumer(group: uniqueName("counts"), brokers: broker.address), logger: KafkaFixtures.logger)
                        .partitionCounts(pipeline.topics, timeout: .seconds(10))
                }
                #expect(counts == Dictionary(uniqueKeysWithValues: pipeline.topics.map { ($0, 3) }), "\(counts)")

                for process in [fetcher, sink] {
                    process.signal(SIGTERM)
                    let result = try await process.result(timeout: .seconds(60))
                    #expect(result.status == 0 && !result.wasSignaled, "\(result.stderr.suffix(3000))")
                }
            }
        }
    }
}
