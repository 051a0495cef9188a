import PaystreamKafka
import PaystreamMessageFormat
import TestSupport
import Testing

/// `KafkaPartitionReader` against the broker: ends as fetch responses give them (Tansu 0.6
/// answers ListOffsets with the last batch's base offset + 1), starts, ranges and single
/// messages.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct PartitionReaderTests {
    let logger = KafkaFixtures.logger

    /// `counts[i]` messages on partition i, queued together so that they travel in few batches.
    private func produce(_ counts: [Int], to topic: String) async throws {
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(client: try TestBroker.client()), logger: logger)
        let tracker = DeliveryTracker()
        for (partition, count) in counts.enumerated() {
            for i in 0..<count {
                try await producer.send(topic: topic, partition: Int32(partition), key: Array("k\(i)".utf8), value: Array("v\(i)".utf8), tracker: tracker)
            }
        }
        #expect(await tracker.waitForAll().delivered == counts.reduce(0, +))
        await producer.close()
    }

    @Test func endsAreTheOffsetsAfterTheLastMessageEvenInOneBatch() async throws {
        let topic = try await KafkaFixtures.createTopic("ends", partitions: 3)
        try await produce([250, 3, 0], to: topic)
        let configuration = try TestBroker.consumer(group: uniqueName("ends"))
        let (partitions, ends, starts) = try await onThread {
            let reader = try KafkaPartitionReader(configuration: configuration, logger: KafkaFixtures.logger)
            let partitions = try reader.partitions(of: [topic, "no-such-topic"], timeout: .seconds(10))
            return (partitions, try reader.endOffsets(partitions, timeout: .seconds(30)), try reader.startOffsets(partitions, timeout: .seconds(10)))
        }
        let p = (0..<3).map { KafkaTopicPartition(topic: topic, partition: Int32($0)) }
        #expect(partitions == p, "the partitions of the topics that exist")
        #expect(ends == [p[0]: 250, p[1]: 3, p[2]: 0])
        #expect(starts == [p[0]: 0, p[1]: 0, p[2]: 0])
    }

    @Test func readsARangeTheWholeTopicAndSingleMessages() async throws {
        let topic = try await KafkaFixtures.createTopic("range", partitions: 2)
        try await produce([20, 5], to: topic)
        let configuration = try TestBroker.consumer(group: uniqueName("range"))
        let p0 = KafkaTopicPartition(topic: topic, partition: 0), p1 = KafkaTopicPartition(topic: topic, partition: 1)
        // A reader per read, as the services use them. (With one reader for all three, one
        // run of the whole suite read 24 of the topic's 25 messages; not reproduced alone.)
        let (range, all, found) = try await onThread {
            let reader = { try KafkaPartitionReader(configuration: configuration, logger: KafkaFixtures.logger) }
            let range = try reader().read(from: [p0: .exact(10), p1: .beginning], to: [p0: 13, p1: 2], timeout: .seconds(30))
            let all = try reader().readToEnd([topic], timeout: .seconds(30))
            // (An offset past the end is not reported out of range by Tansu 0.6: it just
            // has no message yet. The sink asks only for offsets below the end.)
            let found = try reader().firstMessages(at: [p0: 7, p1: 4], timeout: .seconds(30))
            return (range, all, found)
        }
        #expect(range.filter { $0.partition == 0 }.map(\.offset) == [10, 11, 12])
        #expect(range.filter { $0.partition == 1 }.map(\.offset) == [0, 1])
        let read = Set(all.map { "\($0.partition)/\($0.offset)" })
        let missing = (0..<20).map { "0/\($0)" }.filter { !read.contains($0) } + (0..<5).map { "1/\($0)" }.filter { !read.contains($0) }
        #expect(all.count == 25 && read.count == 25, "missing \(missing)")
        #expect(found[p0].map { "\($0.offset) \(String(decoding: $0.value ?? [], as: UTF8.self))" } == "7 v7")
        #expect(found[p1].map { "\($0.offset) \(String(decoding: $0.value ?? [], as: UTF8.self))" } == "4 v4")
    }
}
