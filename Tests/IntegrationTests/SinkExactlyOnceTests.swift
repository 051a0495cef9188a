import Foundation
import PaystreamKafka
import PaystreamMockAPI
import TestSupport
import Testing

@Suite(.serialized, .timeLimit(.minutes(6)))
struct SinkExactlyOnceTests {
    /// SIGKILL at random moments during one large sync, then a finish: the store equals the
    /// API. Then a replay of the topics into a new store gives the same rows, value for value.
    @Test func randomKillsLoseNothingAndAReplayRebuildsAnIdenticalStore() async throws {
        try await withMockAPI(records: 4000) { server, url in
            let pipeline = try PipelineFixture(server: server, baseURL: url)
            #expect(try await pipeline.runFetcher().status == 0)

            var kills = 0
            var previousRows = 0
            while kills < 6 {
                let sink = try await RunningProcess(ProjectPaths.executable("paystream-sink"), pipeline.sinkArguments + ["--batch-size", "400"],
                                              environment: ["PAYSTREAM_API_KEY": pipeline.apiKey])
                // Wait until this run is writing, then kill it at a random instant.
                let deadline = ContinuousClock.now + .seconds(60)
                while ContinuousClock.now < deadline, sink.isRunning, (try? pipeline.totalRows()) ?? 0 <= previousRows {
                    try await Task.sleep(for: .milliseconds(20))
                }
                try await Task.sleep(for: .milliseconds(Int.random(in: 0...250)))
                guard sink.isRunning else { break }
                sink.signal(SIGKILL)
                _ = await sink.exited()
                kills += 1
                previousRows = try pipeline.totalRows()
                if previousRows >= 20_000 { break }
            }
            #expect(kills >= 5, "the sync finished before five kills (\(kills))")

            let finish = try await pipeline.runSink(timeout: .seconds(180))
            #expect(finish.status == 0, "\(finish.stderr.suffix(3000))")
            try pipeline.expectStoreEqualsAPI()

            // Replay: a new store from the beginning of the topics, another group.
            let replay = try PipelineFixture(sharingTopicsOf: pipeline)
            let rebuilt = try await replay.runSink()
            #expect(rebuilt.status == 0, "\(rebuilt.stderr.suffix(3000))")
            for resource in PipelineFixture.resources {
                // Columns may have been added in another order; compare them by name.
                let columns = try pipeline.rows("SELECT name FROM pragma_table_info('\(resource)') ORDER BY name").map { $0[0]! }
                let replayColumns = try replay.rows("SELECT name FROM pragma_table_info('\(resource)') ORDER BY name").map { $0[0]! }
                #expect(replayColumns == columns, "\(resource): live \(Set(columns).subtracting(replayColumns)), replay \(Set(replayColumns).subtracting(columns))")
                let select = "SELECT " + columns.map { "quote(\"\($0)\")" }.joined(separator: ", ") + " FROM \"\(resource)\" ORDER BY id"
                let live = try pipeline.rows(select)
                let copy = try replay.rows(select)
                #expect(live.count == 4000 && live == copy, "\(resource): the replayed store differs")
            }
        }
    }

    /// Messages that cannot be rows go to the dead-letter topic with their origin; the sink
    /// carries on and counts them; a tombstone deletes (or, in soft mode, marks) the row.
    @Test func poisonMessagesAreSetAsideWithTheirOriginAndTombstonesDelete() async throws {
        try await withMockAPI(records: 50) { server, url in
            let pipeline = try PipelineFixture(server: server, baseURL: url)
            #expect(try await pipeline.runFetcher().status == 0)
            let topic = "\(pipeline.topicPrefix).customers"
            let victim = server.dataset.id(.customers, index: 7)
            let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(client: try TestBroker.client()), logger: KafkaFixtures.logger)
            let notJSON = try await producer.sendAndWait(topic: topic, key: Array("cus_bad1".utf8), value: Array("{\"id\": \"cus_bad1\", ".utf8))
            let noKey = try await producer.sendAndWait(topic: topic, key: Array("cus_bad2".utf8), value: Array(#"{"name":"no id"}"#.utf8))
            let none: [UInt8]? = nil
            _ = try await producer.sendAndWait(topic: topic, key: Array(victim.utf8), value: none)
            await producer.close()

            let sink = try await pipeline.runSink()
            #expect(sink.status == 0, "\(sink.stderr.suffix(3000))")
            #expect(try pipeline.rows("SELECT count(*) FROM customers") == [["49"]])
            #expect(try pipeline.rows("SELECT count(*) FROM customers WHERE id = '\(victim)'") == [["0"]])

            let dead = try await pipeline.messages(on: [pipeline.deadLetterTopic])
            #expect(dead.count == 2)
            for (message, report) in zip(dead.sorted { $0.offset < $1.offset }, [notJSON, noKey]) {
                #expect(message.header("paystream.origin.topic")?.text == topic)
                #expect(message.header("paystream.origin.partition")?.text == String(report.partition))
                #expect(message.header("paystream.origin.offset")?.text == String(report.offset))
                #expect(message.header("paystream.error")?.text?.isEmpty == false)
            }
            #expect(dead.contains { $0.header("paystream.error")?.text?.contains("not valid JSON") == true })
            #expect(dead.contains { $0.header("paystream.error")?.text?.contains("primary key") == true })
        }
    }
}
