import PaystreamKafka
import TestSupport
import Testing

@Suite(.serialized, .timeLimit(.minutes(2)))
struct ProducerTests {
    let logger = KafkaFixtures.logger

    @Test func sameKeyLandsOnSamePartitionAsJavaClientsWould() async throws {
        let partitions = 6
        let topic = try await KafkaFixtures.createTopic("same-key", partitions: partitions)
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(client: try TestBroker.client()), logger: logger)
        let tracker = DeliveryTracker(keepsReports: true)
        let keys = (0..<20).map { "cus_\($0)" }
        for round in 0..<5 {
            for key in keys {
                try await producer.send(topic: topic, key: Array(key.utf8), value: Array("v\(round)".utf8), tracker: tracker)
            }
        }
        let summary = await tracker.waitForAll()
        await producer.close()
        #expect(summary.delivered == 100)
        #expect(summary.failed == 0)
        let messages = try await KafkaFixtures.readAll([topic], count: 100)
        let partitionsByKey = Dictionary(grouping: messages, by: { String(decoding: $0.key ?? [], as: UTF8.self) })
            .mapValues { Set($0.map(\.partition)) }
        #expect(partitionsByKey.count == 20)
        for (key, seen) in partitionsByKey {
            #expect(seen.count == 1, "key \(key) on partitions \(seen)")
            // Kafka's Java partitioner: murmur2(key) & 0x7fffffff % partitions.
            #expect(seen.first == Int32(Murmur2.hash(Array(key.utf8)) & 0x7fff_ffff) % Int32(partitions))
        }
        // And the messages of one key arrive in the order they were sent.
        let customer3 = messages.filter { $0.key == Array("cus_3".utf8) }.map { String(decoding: $0.value ?? [], as: UTF8.self) }
        #expect(customer3 == ["v0", "v1", "v2", "v3", "v4"])
    }

    /// A producer's default lets the broker create a missing topic with the broker's own
    /// partition count (Tansu: 4) the moment anything is sent there; Paystream creates its
    /// topics itself, so a send to a missing topic fails instead, within the broker timeout.
    @Test func sendingToAMissingTopicFailsAndDoesNotCreateIt() async throws {
        let topic = uniqueName("missing")
        var client = try TestBroker.client()
        client.brokerTimeout = .seconds(3)
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(client: client), logger: logger)
        let report = try? await producer.sendAndWait(topic: topic, key: Array("k".utf8), value: Array("{}".utf8))
        await producer.close()
        #expect(report == nil, "the send went through: \(String(describing: report))")
        let admin = try KafkaAdmin(configuration: try TestBroker.client(), logger: logger)
        #expect(try await admin.partitionCounts([topic])[topic] == nil, "the broker created \(topic)")
    }

    @Test func headersAndTombstonesRoundTrip() async throws {
        let topic = try await KafkaFixtures.createTopic("headers", partitions: 2)
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(client: try TestBroker.client()), logger: logger)
        let headers = [
            KafkaHeader(name: "paystream.resource", text: "charges"),
            KafkaHeader(name: "binary", value: [0, 255, 7]),
            KafkaHeader(name: "no-value", value: nil),
        ]
        let report = try await producer.sendAndWait(topic: topic, key: Array("k1".utf8), value: Array("{}".utf8), headers: headers)
        #expect(report.offset >= 0)
        let tombstone: [UInt8]? = nil
        _ = try await producer.sendAndWait(topic: topic, key: Array("k1".utf8), value: tombstone)
        await producer.close()
        let messages = try await KafkaFixtures.readAll([topic], count: 2)
        #expect(messages.count == 2)
        #expect(messages[0].headers == headers)
        #expect(messages[0].value == Array("{}".utf8))
        #expect(messages[1].value == nil)
        #expect(messages[1].key == Array("k1".utf8))
    }
}

/// Kafka's murmur2 (org.apache.kafka.common.utils.Utils.murmur2), written from its
/// definition to check the producer's partitioner from outside.
enum Murmur2 {
    static func hash(_ data: [UInt8]) -> Int32 {
        let m: UInt32 = 0x5bd1_e995
        let r: UInt32 = 24
        var h: UInt32 = 0x9747_b28c ^ UInt32(data.count)
        let blocks = data.count / 4
        for i in 0..<blocks {
            var k = UInt32(data[i * 4]) | UInt32(data[i * 4 + 1]) << 8 | UInt32(data[i * 4 + 2]) << 16 | UInt32(data[i * 4 + 3]) << 24
            k = k &* m
            k ^= k >> r
            k = k &* m
            h = h &* m
            h ^= k
        }
        let tail = blocks * 4
        switch data.count % 4 {
        case 3:
            h ^= UInt32(data[tail + 2]) << 16
            fallthrough
        case 2:
            h ^= UInt32(data[tail + 1]) << 8
            fallthrough
        case 1:
            h ^= UInt32(data[tail])
            h = h &* m
        default: break
        }
        h ^= h >> 13
        h = h &* m
        h ^= h >> 15
        return Int32(bitPattern: h)
    }
}
