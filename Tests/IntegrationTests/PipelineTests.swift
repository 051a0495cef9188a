import Foundation
import PaystreamKafka
import PaystreamMockAPI
import TestSupport
import Testing

/// The whole pipeline: mock API → paystream-fetcher → Kafka (Tansu) → paystream-sink → SQLite.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct PipelineTests {
    @Test func fetcherPublishesEveryRecordAndTheSinkStoresExactlyTheAPI() async throws {
        try await withMockAPI(records: 250) { server, url in
            let pipeline = try PipelineFixture(server: server, baseURL: url)
            let fetch = try await pipeline.runFetcher()
            #expect(fetch.status == 0, "fetcher stderr:\n\(fetch.stderr)")
            #expect(!fetch.stderr.contains(pipeline.apiKey), "the API key leaked into the fetcher's output")

            // What any Kafka client sees: one message per record, keyed by id, the API's JSON.
            let messages = try await KafkaFixtures.readAll(pipeline.topics, count: 5 * 250)
            #expect(messages.count == 5 * 250)
            for resource in MockResource.allCases {
                let onTopic = messages.filter { $0.topic == "\(pipeline.topicPrefix).\(resource.rawValue)" }
                let expected = Dictionary(uniqueKeysWithValues: server.dataset.currentRecords(resource).map { ($0.id, $0.json) })
                let keys = onTopic.map { String(decoding: $0.key ?? [], as: UTF8.self) }
                #expect(Set(keys) == Set(expected.keys) && keys.count == expected.count, "\(resource) keys")
                #expect(onTopic.allSatisfy { expected[String(decoding: $0.key!, as: UTF8.self)] == $0.value }, "\(resource) values")
                #expect(onTopic.allSatisfy { $0.header("paystream.resource")?.text == resource.rawValue })
                #expect(onTopic.allSatisfy { $0.header("content-type")?.text == "application/json" })
            }

            let sink = try await pipeline.runSink()
            #expect(sink.status == 0, "sink stderr:\n\(sink.stderr)")
            try pipeline.expectStoreEqualsAPI()
            // Offsets: in the store and committed to Kafka, both at the end of every partition.
            let ends = try await pipeline.highWatermarks().filter { $0.value > 0 }
            #expect(try pipeline.storedOffsets() == ends)
            let committed = try await KafkaFixtures.committedOffsets(group: pipeline.group, topics: pipeline.topics)
            #expect(committed.filter { $0.value > 0 } == ends)
        }
    }

    @Test func aRejectedKeyFailsClearlyAndNeverPrintsTheKey() async throws {
        try await withMockAPI(records: 10) { server, url in
            let pipeline = try PipelineFixture(server: server, baseURL: url)
            let secret = "sk_wrong_0123456789"
            let fetch = try await pipeline.runFetcher(apiKey: secret)
            #expect(fetch.status == 1)
            #expect(fetch.stderr.contains("401"))
            #expect(fetch.stderr.contains("api_key=***"))
            #expect(!fetch.stderr.contains(secret) && !fetch.stdout.contains(secret), "the key leaked")
            for resource in PipelineFixture.resources {
                #expect(fetch.stderr.contains("resource \(resource)"), "the error names \(resource)")
            }
        }
    }
}
