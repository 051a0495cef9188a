import PaystreamMessageFormat

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

/// The partition type the store shares (see `PaystreamMessageFormat`).
public typealias KafkaTopicPartition = TopicPartition

/// A message read by a consumer, copied out of librdkafka's buffers.
public struct KafkaConsumedMessage: Sendable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    public var key: [UInt8]?
    /// nil for a tombstone.
    public var value: [UInt8]?
    public var headers: [KafkaHeader]
    /// The message's timestamp in milliseconds since 1970 (create or log-append time), if any.
    public var timestamp: Int64?

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

/// What the cluster says about a topic.
public struct KafkaTopicDescription: Sendable, Equatable {
    public var partitionCount: Int
    /// The topic's id (base64, as Kafka tools print it), or nil when the broker has none.
    /// A topic deleted and created again under the same name gets a new id.
    public var topicID: String?
}
