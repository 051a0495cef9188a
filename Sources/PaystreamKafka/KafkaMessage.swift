/// A Kafka record header. Values are bytes; Paystream's own headers carry UTF-8 text.
public struct KafkaHeader: Sendable, Hashable {
    public var name: String
    public var value: [UInt8]?

    public init(name: String, value: [UInt8]?) {
        self.name = name
        self.value = value
    }

    public init(name: String, text: String) {
        self.init(name: name, value: Array(text.utf8))
    }

    public var text: String? { value.map { String(decoding: $0, as: UTF8.self) } }
}

public struct KafkaTopicPartition: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var topic: String
    public var partition: Int32

    public init(topic: String, partition: Int32) {
        self.topic = topic
        self.partition = partition
    }

    public static func < (a: Self, b: Self) -> Bool { (a.topic, a.partition) < (b.topic, b.partition) }
    public var description: String { "\(topic)[\(partition)]" }
}

/// A message read by a consumer, copied out of librdkafka's buffers.
public struct KafkaConsumedMessage: Sendable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    public var key: [UInt8]?
    /// nil for a tombstone.
    public var value: [UInt8]?
    public var headers: [KafkaHeader]

    public var topicPartition: KafkaTopicPartition { .init(topic: topic, partition: partition) }

    public func header(_ name: String) -> KafkaHeader? { headers.first { $0.name == name } }
}

/// The broker's acknowledgement (or refusal) of one produced message.
public struct KafkaDeliveryReport: Sendable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    public var error: KafkaError?
}

/// A topic to create, with its partition count and topic-level configs
/// (e.g. `cleanup.policy=compact`).
public struct KafkaNewTopic: Sendable {
    public var name: String
    public var partitions: Int
    public var replicationFactor: Int
    public var configs: [String: String]

    public init(name: String, partitions: Int, replicationFactor: Int = -1, configs: [String: String] = [:]) {
        self.name = name
        self.partitions = partitions
        self.replicationFactor = replicationFactor
        self.configs = configs
    }
}

/// Logical offsets librdkafka understands in place of a real one.
public enum KafkaOffset {
    /// The first message still on the broker.
    public static let beginning: Int64 = -2
    public static let end: Int64 = -1
}
