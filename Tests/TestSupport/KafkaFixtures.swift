import Logging
import PaystreamKafka
import PaystreamMessageFormat

public enum KafkaFixtures {
    public static let logger = Logger(label: "test.kafka")

    /// Creates a topic with a unique name and returns it.
    public static func createTopic(_ prefix: String, partitions: Int) async throws -> String {
        let name = uniqueName(prefix)
        let admin = try KafkaAdmin(configuration: try TestBroker.client(), logger: logger)
        try await admin.createTopics([KafkaNewTopic(name: name, partitions: partitions)])
        return name
    }

    /// Reads `topic` from the beginning with a fresh group until `count` messages arrived.
    public static func readAll(_ topics: [String], count: Int, timeout: Duration = .seconds(60)) async throws -> [KafkaConsumedMessage] {
        let configuration = try TestBroker.consumer(group: uniqueName("reader"))
        return try await onThread {
            let consumer = try KafkaConsumer(configuration: configuration, logger: logger)
            defer { try? consumer.close() }
            try consumer.subscribe(topics: topics)
            var messages: [KafkaConsumedMessage] = []
            let deadline = ContinuousClock.now + timeout
            while messages.count < count, ContinuousClock.now < deadline {
                messages += try consumer.poll(maximumMessages: 10_000, timeout: .milliseconds(200))
            }
            return messages
        }
    }

    /// The group's committed offsets for every partition of `topics`.
    public static func committedOffsets(group: String, topics: [String]) async throws -> [KafkaTopicPartition: Int64] {
        let configuration = try TestBroker.consumer(group: group)
        return try await onThread {
            let reader = try KafkaPartitionReader(configuration: configuration, logger: logger)
            return try reader.committedOffsets(reader.partitions(of: topics, timeout: .seconds(10)), timeout: .seconds(10))
        }
    }
}
