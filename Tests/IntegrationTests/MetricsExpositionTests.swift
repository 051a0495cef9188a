import Foundation
import PaystreamMockAPI
import TestSupport
import Testing

/// What Prometheus reads from the services: text that passes `promtool check metrics`, the
/// process's own metrics, and the fetcher's per-resource series present from the start, so
/// that "never succeeded" can alert.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct MetricsExpositionTests {
    static let operationsArguments = ["--http-address", "127.0.0.1:0", "--log-format", "json"]

    func expectPromtoolAccepts(_ metrics: String, _ what: String) async throws {
        let verdict = try await Promtool.check(metrics)
        #expect(verdict.status == 0, "promtool on \(what): \(verdict.stderr)\(verdict.stdout)\n\(metrics.prefix(3000))")
    }

    /// Process metrics with values that can be true of a running process started at `since`.
    func expectProcessMetrics(_ metrics: String, startedAfter since: Date) {
        func value(_ name: String) -> Double { OperationsFixture.samples(name, in: metrics)[""] ?? -1 }
        let start = value("process_start_time_seconds")
        #expect(start >= since.timeIntervalSince1970 - 2 && start <= Date().timeIntervalSince1970, "start time \(start)")
        #expect(value("process_cpu_seconds_total") > 0)
        #expect(value("process_resident_memory_bytes") > 1_000_000)
        #expect(value("process_virtual_memory_bytes") > value("process_resident_memory_bytes"))
        #expect(value("process_open_fds") > 3 && value("process_open_fds") <= value("process_max_fds"))
    }

    @Test func bothServicesExportValidMetricsWithTheFetchersSeriesFromTheStart() async throws {
        try await withMockAPI(records: 200) { server, url in
            let pipeline = try PipelineFixture(server: server, baseURL: url)
            let fetcherArguments = ["--config", pipeline.configPath, "--brokers", pipeline.brokers, "--topic-prefix", pipeline.topicPrefix,
                                    "--partitions", "4", "--interval", "3600"] + Self.operationsArguments
            let environment = ["PAYSTREAM_API_KEY": pipeline.apiKey]

            // Before any sync ended (every page is held back far longer than this takes):
            // every resource's series exist, at 0.
            var slow = MockFaults()
            slow.latency = .seconds(60)
            server.faults = slow
            let started = Date()
            let early = try await RunningProcess(ProjectPaths.executable("paystream-fetcher"), fetcherArguments, environment: environment)
            defer { if early.isRunning { early.signal(SIGKILL) } }
            let first = try await OperationsFixture.get(try await OperationsFixture.listeningAddress(of: early), "/metrics").body
            let lastSuccess = OperationsFixture.samples("paystream_fetcher_last_success_timestamp_seconds", in: first)
            let syncs = OperationsFixture.samples("paystream_fetcher_syncs_total", in: first)
            for resource in PipelineFixture.resources {
                #expect(lastSuccess["resource=\(resource)"] == 0, "\(resource): \(lastSuccess)")
                #expect(syncs["resource=\(resource),result=success"] == 0 && syncs["resource=\(resource),result=failure"] == 0, "\(resource): \(syncs)")
            }
            expectProcessMetrics(first, startedAfter: started)
            try await expectPromtoolAccepts(first, "the fetcher at start")
            // Only its start is under test: it need not wait for its held-back requests.
            early.signal(SIGKILL)
            _ = try await early.result(timeout: .seconds(30))

            // After a sync of every resource: counters, gauges, and the retries' series.
            server.faults = MockFaults()
            let fetcher = try await RunningProcess(ProjectPaths.executable("paystream-fetcher"), fetcherArguments, environment: environment)
            defer { if fetcher.isRunning { fetcher.signal(SIGKILL) } }
            let synced = try await OperationsFixture.waitFor(try await OperationsFixture.listeningAddress(of: fetcher), "/metrics", what: "a sync of every resource") { _, body in
                OperationsFixture.samples("paystream_fetcher_last_success_timestamp_seconds", in: body).values.filter { $0 > 0 }.count == 5
            }.body
            try await expectPromtoolAccepts(synced, "the fetcher after a sync")

            // The sink, once it wrote everything: counters, lag gauges, the batch histogram.
            let sink = try await RunningProcess(ProjectPaths.executable("paystream-sink"), pipeline.sinkArguments + Self.operationsArguments, environment: environment)
            defer { if sink.isRunning { sink.signal(SIGKILL) } }
            let written = try await OperationsFixture.waitFor(try await OperationsFixture.listeningAddress(of: sink), "/metrics", what: "every record written") { _, body in
                OperationsFixture.samples("paystream_sink_records_written_total", in: body).values.reduce(0, +) == 1000
            }.body
            expectProcessMetrics(written, startedAfter: started)
            try await expectPromtoolAccepts(written, "the sink")

            for process in [fetcher, sink] {
                process.signal(SIGTERM)
                let result = try await process.result(timeout: .seconds(60))
                #expect(result.status == 0 && !result.wasSignaled, "\(result.stderr.suffix(2000))")
            }
        }
    }
}
