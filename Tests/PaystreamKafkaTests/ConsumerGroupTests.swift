import PaystreamKafka
import PaystreamMessageFormat
import Synchronization
import TestSupport
import Testing

@Suite(.serialized, .timeLimit(.minutes(3)))
struct ConsumerGroupTests {
    let logger = KafkaFixtures.logger

    private func produce(_ count: Int, to topic: String) async throws {
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(client: try TestBroker.client()), logger: logger)
        let tracker = DeliveryTracker()
        for i in 0..<count {
            try await producer.send(topic: topic, key: Array("key-\(i % 7)".utf8), value: Array("\(i)".utf8), tracker: tracker)
        }
        #expect(await tracker.waitForAll().delivered == count)
        await producer.close()
    }

    @Test func committedOffsetsAreResumedByTheNextMember() async throws {
        let topic = try await KafkaFixtures.createTopic("resume", partitions: 1)
        try await produce(10, to: topic)
        let configuration = try TestBroker.consumer(group: uniqueName("resume-group"))
        let logger = self.logger

        let firstOffsets: [Int64] = try await onThread {
            let consumer = try KafkaConsumer(configuration: configuration, logger: logger)
            try consumer.subscribe(topics: [topic])
            var seen: [KafkaConsumedMessage] = []
            while seen.count < 4 { seen += try consumer.poll(maximumMessages: 4 - seen.count, timeout: .milliseconds(200)) }
            try consumer.offsetCommitter.commit([KafkaTopicPartition(topic: topic, partition: 0): seen.last!.offset + 1])
            try consumer.close()
            return seen.map(\.offset)
        }
        #expect(firstOffsets == [0, 1, 2, 3])

        let secondOffsets: [Int64] = try await onThread {
            let consumer = try KafkaConsumer(configuration: configuration, logger: logger)
            try consumer.subscribe(topics: [topic])
            var seen: [KafkaConsumedMessage] = []
            while seen.count < 6 { seen += try consumer.poll(maximumMessages: 100, timeout: .milliseconds(200)) }
            try consumer.close()
            return seen.map(\.offset)
        }
        #expect(secondOffsets == [4, 5, 6, 7, 8, 9])
        let committed = try await KafkaFixtures.committedOffsets(group: configuration.groupID, topics: [topic])
        #expect(committed[KafkaTopicPartition(topic: topic, partition: 0)] == 4)
    }

    @Test func twoMembersSplitThePartitions() async throws {
        let topic = try await KafkaFixtures.createTopic("split", partitions: 4)
        try await produce(40, to: topic)
        let members = GroupMembers(configuration: try TestBroker.consumer(group: uniqueName("split-group")), topic: topic)
        async let a: Void = onThread { try members.run(id: 1) }
        async let b: Void = onThread { try members.run(id: 2) }

        let deadline = ContinuousClock.now + .seconds(60)
        var split = false
        while ContinuousClock.now < deadline, !split {
            try await Task.sleep(for: .milliseconds(200))
            split = members.assignments.withLock { owned in
                guard let one = owned[1], let two = owned[2], !one.isEmpty, !two.isEmpty else { return false }
                return one.isDisjoint(with: two) && one.union(two) == [0, 1, 2, 3]
            }
        }
        members.stop.store(true, ordering: .releasing)
        try await a
        try await b
        #expect(split, "assignments: \(members.assignments.withLock { $0 })")
    }
}

/// Consumers of one group, each on its own thread, recording what they own.
final class GroupMembers: Sendable {
    let configuration: KafkaConsumerConfiguration
    let topic: String
    let stop = Atomic<Bool>(false)
    let assignments = Mutex<[Int: Set<Int32>]>([:])

    init(configuration: KafkaConsumerConfiguration, topic: String) {
        self.configuration = configuration
        self.topic = topic
    }

    func run(id: Int) throws {
        let consumer = try KafkaConsumer(configuration: configuration, rebalanceHandler: Recorder(members: self, id: id), logger: KafkaFixtures.logger)
        try consumer.subscribe(topics: [topic])
        while !stop.load(ordering: .acquiring) {
            _ = try consumer.poll(maximumMessages: 100, timeout: .milliseconds(100))
        }
        try consumer.close()
    }

    /// Keeps a member's partitions as the group assigns and revokes them.
    private struct Recorder: KafkaRebalanceHandler {
        let members: GroupMembers
        let id: Int

        func partitionsAssigned(_ partitions: [KafkaTopicPartition]) -> [KafkaTopicPartition: KafkaOffset] {
            members.assignments.withLock { $0[id, default: []].formUnion(partitions.map(\.partition)) }
            return [:]
        }

        func partitionsRevoked(_ partitions: [KafkaTopicPartition]) {
            members.assignments.withLock { $0[id, default: []].subtract(partitions.map(\.partition)) }
        }

        func partitionsLost(_ partitions: [KafkaTopicPartition]) {
            partitionsRevoked(partitions)
        }
    }
}
