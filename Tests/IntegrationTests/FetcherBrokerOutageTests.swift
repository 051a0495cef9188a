import Foundation
import PaystreamMockAPI
import TestSupport
import Testing

/// The fetcher when its broker goes away: `--once` fails within `--broker-timeout`, SIGTERM
/// ends it within the shutdown bound whatever it still had to deliver.
@Suite(.serialized, .timeLimit(.minutes(4)))
struct FetcherBrokerOutageTests {
    /// `--broker-timeout` in these tests, and the bounds the README states on top of it.
    static let brokerTimeout = 5.0
    /// A generous margin for a loaded machine: the bound is the product's; the margin the test's.
    static let margin = Duration.seconds(20)

    @Test(arguments: [false, true])
    func aBrokerKilledMidOnceFailsTheRunNamingTheBroker(exactlyOnce: Bool) async throws {
        try await withPrivateBroker { broker in
            try await withMockAPI(records: 3000) { server, url in
                server.faults.latency = .milliseconds(100)
                let pipeline = try PipelineFixture(server: server, baseURL: url, brokers: broker.address)
                let fetcher = try await startFetcher(pipeline, ["--once"] + (exactlyOnce ? ["--exactly-once"] : []))
                try await waitForRecords(on: fetcher)
                await broker.stop()
                let stopped = ContinuousClock.now
                let result = try await fetcher.result(timeout: .seconds(Self.brokerTimeout) * 2 + Self.margin)
                #expect(result.status == 1 && !result.wasSignaled, "\(result.stderr.suffix(3000))")
                #expect(ContinuousClock.now - stopped < .seconds(Self.brokerTimeout) * 2 + Self.margin)
                let lastLines = result.stderr.split(separator: "\n").suffix(8).joined(separator: "\n")
                #expect(lastLines.contains(broker.address), "the failure names the broker:\n\(lastLines)")
            }
        }
    }

    @Test func aBrokerThatIsDownAtStartFailsTheRunNamingTheBroker() async throws {
        try await withPrivateBroker { broker in
            try await withMockAPI(records: 10) { server, url in
                let pipeline = try PipelineFixture(server: server, baseURL: url, brokers: broker.address)
                await broker.stop()
                let fetcher = try await startFetcher(pipeline, ["--once"])
                let result = try await fetcher.result(timeout: .seconds(Self.brokerTimeout) * 2 + Self.margin)
                #expect(result.status == 1 && !result.wasSignaled, "\(result.stderr.suffix(3000))")
                let lastLines = result.stderr.split(separator: "\n").suffix(3).joined(separator: "\n")
                #expect(lastLines.contains("Kafka cluster at \(broker.address)"), "the failure names the broker:\n\(lastLines)")
            }
        }
    }

    @Test(arguments: [["--once"], ["--interval", "1"], ["--once", "--exactly-once"]])
    func sigtermWithUndeliverableRecordsEndsTheFetcherWithinTheBound(mode: [String]) async throws {
        try await withPrivateBroker { broker in
            try await withMockAPI(records: 3000) { server, url in
                server.faults.latency = .milliseconds(100)
                let pipeline = try PipelineFixture(server: server, baseURL: url, brokers: broker.address)
                let fetcher = try await startFetcher(pipeline, mode)
                try await waitForRecords(on: fetcher)
                await broker.stop()
                // Records keep being read and sent to a broker that is gone.
                try await Task.sleep(for: .seconds(1))
                fetcher.signal(SIGTERM)
                let signalled = ContinuousClock.now
                let result = try await fetcher.result(timeout: Self.shutdownBound + Self.margin)
                #expect(ContinuousClock.now - signalled < Self.shutdownBound + Self.margin)
                #expect(!result.wasSignaled, "\(result.stderr.suffix(3000))")
                // A `--once` stopped before its work was done does not report success.
                #expect(result.status == (mode.contains("--once") ? 3 : 0), "\(result.stderr.suffix(3000))")
            }
        }
    }

    /// A broker that stops answering for longer than the broker timeout, and then answers
    /// again with everything it had (a partition, a stalled machine): the daemon's syncs fail
    /// meanwhile, and once it answers they complete without losing a record. Checkpoints
    /// never move past records the broker did not acknowledge. (At least once: with
    /// `--exactly-once`, Tansu leaves the topics' last stable offset stuck after such a pause,
    /// so no `read_committed` reader, this test's included, gets past it; see the README.)
    @Test func aBrokerThatStopsAnsweringAndComesBackLosesNoRecord() async throws {
        try await withPrivateBroker { broker in
            try await withMockAPI(records: 3000) { server, url in
                server.faults.latency = .milliseconds(100)
                let pipeline = try PipelineFixture(server: server, baseURL: url, incremental: true, brokers: broker.address)
                let fetcher = try await startFetcher(pipeline, ["--interval", "1"])
                try await waitForRecords(on: fetcher)
                broker.pause()
                try await Task.sleep(for: .seconds(Self.brokerTimeout) * 2)
                broker.resume()
                // Every resource completes a sync after the outage: then every record is on its topic.
                let resumed = fetcher.stderrSoFar.count
                let deadline = ContinuousClock.now + .seconds(120)
                while Set(PipelineFixture.resources.filter { r in
                    fetcher.stderrSoFar.dropFirst(resumed).split(separator: "\n").contains { $0.contains("sync complete") && $0.contains("resource=\(r) ") }
                }).count < 5 {
                    guard ContinuousClock.now < deadline, fetcher.isRunning else { throw TestFailure("no sync completed after the outage:\n\(fetcher.stderrSoFar.suffix(3000))") }
                    try await Task.sleep(for: .milliseconds(200))
                }
                #expect(fetcher.stderrSoFar.contains("publishing to the Kafka cluster at \(broker.address) failed"), "the outage failed a sync")
                try await pipeline.expectTopicsHoldNewestVersions(atLeast: 5 * 3000)
                fetcher.signal(SIGTERM)
                #expect(try await fetcher.result(timeout: .seconds(60)).status == 0)
            }
        }
    }

    /// SIGTERM to exit, as the README states it.
    static let shutdownBound = Duration.seconds(10)

    private func startFetcher(_ pipeline: PipelineFixture, _ extra: [String]) async throws -> RunningProcess {
        try await RunningProcess(
            ProjectPaths.executable("paystream-fetcher"),
            ["--config", pipeline.configPath, "--brokers", pipeline.brokers, "--topic-prefix", pipeline.topicPrefix, "--partitions", "4",
             "--page-concurrency", "1", "--progress-interval", "0.5", "--broker-timeout", "\(Self.brokerTimeout)"] + extra,
            environment: ["PAYSTREAM_API_KEY": pipeline.apiKey]
        )
    }

    /// Waits until the fetcher reports records published (a progress line).
    private func waitForRecords(on fetcher: RunningProcess) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while !fetcher.stderrSoFar.contains("progress") {
            guard ContinuousClock.now < deadline, fetcher.isRunning else { throw TestFailure("no progress:\n\(fetcher.stderrSoFar.suffix(3000))") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}
