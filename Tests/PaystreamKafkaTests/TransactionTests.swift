import Dispatch
@testable import PaystreamKafka
import PaystreamMessageFormat
import TestSupport
import Testing

/// The transactional producer and `read_committed` reading, against the real broker.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct TransactionTests {
    let logger = KafkaFixtures.logger

    private func producer(_ id: String) throws -> KafkaProducer {
        var configuration = KafkaProducerConfiguration(client: try TestBroker.client())
        configuration.transactionalID = id
        return try KafkaProducer(configuration: configuration, logger: logger)
    }

    private func readCommitted(_ topic: String) async throws -> [KafkaConsumedMessage] {
        try await KafkaPartitionReader.readToEnd([topic], configuration: try TestBroker.consumer(group: uniqueName("rc")), logger: logger, timeout: .seconds(30))
    }

    @Test func aCommittedTransactionIsReadToTheEndPastItsCommitMarker() async throws {
        let topic = try await KafkaFixtures.createTopic("txn", partitions: 1)
        let producer = try producer(uniqueName("tid"))
        try await producer.initTransactions()
        let tracker = DeliveryTracker(tracksOffsets: true)
        for round in 0..<2 {
            try await producer.beginTransaction()
            for i in 0..<5 { try await producer.send(topic: topic, key: Array("k\(i)".utf8), value: Array("\(round)".utf8), tracker: tracker) }
            try await producer.commitTransaction()
        }
        let summary = await tracker.waitForAll()
        #expect(summary.delivered == 10)
        // Each transaction ends with a commit marker, which takes an offset but is never delivered.
        #expect(summary.nextOffsets[KafkaTopicPartition(topic: topic, partition: 0)] == 11)
        // Reading ends at the partition's end (12), which no message's offset + 1 reaches.
        #expect(try await readCommitted(topic).count == 10)
    }

    @Test func aNewerProducerWithTheSameIDFencesTheOlderOne() async throws {
        let topic = try await KafkaFixtures.createTopic("fence", partitions: 1)
        let id = uniqueName("tid")
        let zombie = try producer(id)
        try await zombie.initTransactions()
        try await zombie.beginTransaction()
        let successor = try producer(id)
        try await successor.initTransactions()

        let tracker = DeliveryTracker()
        var fenced = false
        do {
            try await zombie.send(topic: topic, key: Array("z".utf8), value: Array("zombie".utf8), tracker: tracker)
            try await zombie.commitTransaction()
        } catch KafkaTransactionError.fenced {
            fenced = true
        }
        #expect(fenced, "the older producer must learn it was fenced")
        try await successor.beginTransaction()
        _ = try await successor.sendAndWait(topic: topic, key: Array("s".utf8), value: Array("successor".utf8))
        try await successor.commitTransaction()
        let values = try await readCommitted(topic).compactMap { $0.value.map { String(decoding: $0, as: UTF8.self) } }
        #expect(values == ["successor"])
    }

    @Test func blockingCallsRunOnTheClientsOwnQueue() async throws {
        let consumer = try KafkaConsumer(configuration: try TestBroker.consumer(group: uniqueName("queue")), logger: logger)
        let onItsQueue = try await consumer.run { consumer in
            dispatchPrecondition(condition: .onQueue(consumer.handle.executor.queue))
            return true
        }
        #expect(onItsQueue)
    }
}
