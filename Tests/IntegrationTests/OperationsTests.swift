import Foundation
import PaystreamKafka
import PaystreamMockAPI
import TestSupport
import Testing

/// The operations listener of running services: metrics that equal what users see on the
/// topics and in SQLite, and readiness that follows the broker.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct OperationsTests {
    static let operationsArguments = ["--http-address", "127.0.0.1:0", "--log-format", "json"]

    @Test func metricsCountWhatWasPublishedRetriedAndWritten() async throws {
        try await withMockAPI(records: 300) { server, url in
            let pipeline = try PipelineFixture(server: server, baseURL: url, incremental: true)
            // The first syncs meet nothing but 500s: each fails after its 3 retries.
            server.faults = MockFaults(rate: 1, kinds: [.serverError])
            let started = Date()
            let fetcher = try await RunningProcess(
                ProjectPaths.executable("paystream-fetcher"),
                ["--config", pipeline.configPath, "--brokers", pipeline.brokers, "--topic-prefix", pipeline.topicPrefix,
                 "--partitions", "4", "--interval", "2"] + Self.operationsArguments,
                environment: ["PAYSTREAM_API_KEY": pipeline.apiKey]
            )
            defer { if fetcher.isRunning { fetcher.signal(SIGKILL) } }
            let fetcherAddress = try await OperationsFixture.listeningAddress(of: fetcher)
            // (Every resource's series exist from the start, at 0.)
            _ = try await OperationsFixture.waitFor(fetcherAddress, "/metrics", what: "a failed sync of every resource") { _, body in
                OperationsFixture.samples("paystream_fetcher_syncs_total", in: body).filter { $0.key.contains("result=failure") && $0.value > 0 }.count == 5
            }
            // The topics exist now (created before the first sync): the sink subscribes to them.
            let sink = try await RunningProcess(
                ProjectPaths.executable("paystream-sink"), pipeline.sinkArguments + Self.operationsArguments,
                environment: ["PAYSTREAM_API_KEY": pipeline.apiKey]
            )
            defer { if sink.isRunning { sink.signal(SIGKILL) } }
            server.faults = MockFaults()
            let scrape = try await OperationsFixture.waitFor(fetcherAddress, "/metrics", what: "a successful sync of every resource") { _, body in
                OperationsFixture.samples("paystream_fetcher_syncs_total", in: body).filter { $0.key.contains("result=success") && $0.value > 0 }.count == 5
            }.body

            // Records published per resource equal the messages on its topic (and the API's records).
            let messages = try await KafkaPartitionReader.readToEnd(
                pipeline.topics, configuration: try TestBroker.consumer(group: uniqueName("count")), logger: KafkaFixtures.logger, timeout: .seconds(60)
            )
            let published = OperationsFixture.samples("paystream_fetcher_records_published_total", in: scrape)
            let pages = OperationsFixture.samples("paystream_fetcher_pages_total", in: scrape)
            let failures = OperationsFixture.samples("paystream_fetcher_syncs_total", in: scrape)
            let retries = OperationsFixture.samples("paystream_fetcher_http_retries_total", in: scrape)
            let lastSuccess = OperationsFixture.samples("paystream_fetcher_last_success_timestamp_seconds", in: scrape)
            for resource in PipelineFixture.resources {
                let onTopic = messages.filter { $0.topic == "\(pipeline.topicPrefix).\(resource)" }.count
                #expect(onTopic == 300)
                #expect(published["resource=\(resource)"] == Double(onTopic), "\(resource): published vs on the topic")
                #expect((pages["resource=\(resource)"] ?? 0) >= 3)
                // Every failed sync made exactly 1 + 3 attempts, all answered 500; the sync that
                // ran when the faults stopped may have retried up to 3 times more and succeeded.
                let failed = failures["resource=\(resource),result=failure"] ?? 0
                let retried = retries["resource=\(resource),status=500"] ?? 0
                #expect(failed >= 1 && retried >= 3 * failed && retried <= 3 * failed + 3, "\(resource): \(failed) failed syncs, retries \(retries)")
                let success = lastSuccess["resource=\(resource)"] ?? 0
                #expect(success >= started.timeIntervalSince1970 && success <= Date().timeIntervalSince1970)
            }
            #expect(try await OperationsFixture.get(fetcherAddress, "/readyz").status == 200)
            #expect(try await OperationsFixture.get(fetcherAddress, "/livez").status == 200)

            // The sink: records written per table equal its rows, and no lag is left.
            let sinkAddress = try await OperationsFixture.listeningAddress(of: sink)
            let deadline = ContinuousClock.now + .seconds(90)
            while ContinuousClock.now < deadline, (try? pipeline.totalRows()) ?? 0 < 1500 {
                try await Task.sleep(for: .milliseconds(200))
            }
            let sinkScrape = try await OperationsFixture.waitFor(sinkAddress, "/metrics", what: "every partition's lag at 0") { _, body in
                let lag = OperationsFixture.samples("paystream_sink_lag_messages", in: body)
                return lag.count == 20 && lag.values.allSatisfy { $0 == 0 }
            }.body
            let written = OperationsFixture.samples("paystream_sink_records_written_total", in: sinkScrape)
            for resource in PipelineFixture.resources {
                let rows = try pipeline.rows(#"SELECT count(*) FROM "\#(resource)""#)[0][0].flatMap { Double($0) }
                #expect(rows == 300)
                #expect(written["table=\(resource)"] == rows, "\(resource): written vs rows")
            }
            #expect(OperationsFixture.samples("paystream_sink_dead_letters_total", in: sinkScrape).isEmpty)
            #expect((OperationsFixture.samples("paystream_sink_batch_seconds_count", in: sinkScrape)[""] ?? 0) >= 1)
            #expect(try await OperationsFixture.get(sinkAddress, "/readyz").status == 200)

            // JSON logs: every line an object with the standard fields.
            for process in [fetcher, sink] {
                for line in process.stderrSoFar.split(separator: "\n") {
                    let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                    #expect(object?["ts"] != nil && object?["level"] != nil && object?["message"] != nil, "not a JSON log line: \(line)")
                }
            }
            for process in [fetcher, sink] {
                process.signal(SIGTERM)
                let result = try await process.result(timeout: .seconds(60))
                #expect(result.status == 0 && !result.wasSignaled, "\(result.stderr.suffix(2000))")
            }
        }
    }

    @Test func anIdleDaemonLogsNoProgressLines() async throws {
        try await withMockAPI(records: 100) { server, url in
            let pipeline = try PipelineFixture(server: server, baseURL: url)
            let fetcher = try await RunningProcess(
                ProjectPaths.executable("paystream-fetcher"),
                ["--config", pipeline.configPath, "--brokers", pipeline.brokers, "--topic-prefix", pipeline.topicPrefix,
                 "--partitions", "2", "--interval", "3600", "--progress-interval", "0.2"],
                environment: ["PAYSTREAM_API_KEY": pipeline.apiKey]
            )
            defer { if fetcher.isRunning { fetcher.signal(SIGKILL) } }
            let deadline = ContinuousClock.now + .seconds(60)
            while ContinuousClock.now < deadline, fetcher.stderrSoFar.components(separatedBy: "sync complete").count <= 5 {
                try await Task.sleep(for: .milliseconds(100))
            }
            // The first report after the sync may still count its records; after that, ten
            // progress intervals with nothing new to report.
            try await Task.sleep(for: .seconds(1))
            let idleFrom = fetcher.stderrSoFar.count
            try await Task.sleep(for: .seconds(2))
            fetcher.signal(SIGTERM)
            let result = try await fetcher.result(timeout: .seconds(60))
            #expect(result.status == 0)
            let idleLines = result.stderr.dropFirst(idleFrom).split(separator: "\n").filter { $0.contains("progress") }
            #expect(idleLines.isEmpty, "\(idleLines.count) progress lines while idle, e.g. \(idleLines.first ?? "")")
        }
    }

    @Test func readinessTurnsUnreadyWhenTheBrokerStopsAndReadyWhenItIsBack() async throws {
        try await withPrivateBroker { broker in try await checkReadinessFollows(broker) }
    }

    private func checkReadinessFollows(_ broker: PrivateBroker) async throws {
        try await withMockAPI(records: 50) { server, url in
            let pipeline = try PipelineFixture(server: server, baseURL: url)
            let common = ["--config", pipeline.configPath, "--brokers", broker.address, "--topic-prefix", pipeline.topicPrefix]
            // The broker comes back empty: the services' topics are gone under their
            // consumers. They run under a supervisor, as a deployment would, but must not
            // need it: librdkafka as Debian ships it crashed here (README, "Development
            // notes"; ops/setup patches it). They must be ready again.
            let fetcher = try await SupervisedProcess(
                ProjectPaths.executable("paystream-fetcher"), common + ["--partitions", "2", "--interval", "3600"] + Self.operationsArguments,
                environment: ["PAYSTREAM_API_KEY": pipeline.apiKey]
            )
            // One sync, then the fetcher idles (an hour's interval): the broker goes away
            // between syncs, so only readiness is under test here.
            let deadline = ContinuousClock.now + .seconds(60)
            while ContinuousClock.now < deadline, fetcher.stderrSoFar.components(separatedBy: "sync complete").count <= 5 {
                try await Task.sleep(for: .milliseconds(100))
            }
            let sink = try await SupervisedProcess(
                ProjectPaths.executable("paystream-sink"),
                common + ["--db", pipeline.databasePath, "--group", pipeline.group] + Self.operationsArguments,
                environment: ["PAYSTREAM_API_KEY": pipeline.apiKey]
            )
            let services: [any ObservedProcess] = [fetcher, sink]
            for service in services {
                _ = try await OperationsFixture.waitFor(service, "/readyz", what: "ready at start") { status, _ in status == 200 }
            }

            await broker.stop()
            for service in services {
                let answer = try await OperationsFixture.waitFor(service, "/readyz", what: "unready without a broker") { status, _ in status == 503 }
                #expect(answer.body.contains("kafka: cannot reach the Kafka cluster (\(broker.address))"), "\(answer.body)")
                _ = try await OperationsFixture.waitFor(service, "/livez", timeout: .seconds(5), what: "alive without a broker") { status, _ in status == 200 }
            }

            try await broker.start()
            for service in services {
                do {
                    _ = try await OperationsFixture.waitFor(service, "/readyz", what: "ready again") { status, _ in status == 200 }
                } catch {
                    Issue.record("\(error)\nits log:\n\(service.stderrSoFar.suffix(6000))")
                    throw error
                }
            }
            #expect(fetcher.restarts == 0 && sink.restarts == 0, "a service crashed:\n\(fetcher.stderrSoFar.suffix(3000))\n\(sink.stderrSoFar.suffix(3000))")
            for result in [try await fetcher.stop(timeout: .seconds(60)), try await sink.stop(timeout: .seconds(60))] {
                #expect(result.status == 0 && !result.wasSignaled, "\(result.stderr.suffix(2000))")
            }
        }
    }
}
