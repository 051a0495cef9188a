import PaystreamConfig
import PaystreamKafka

/// Everything the fetcher needs besides the pipeline config: where to publish and how.
public struct FetcherConfiguration: Sendable {
    public var pipeline: PipelineConfig
    public var kafka: KafkaClientConfiguration
    /// Topics are `<topicPrefix>.<resource name>`.
    public var topicPrefix = "paystream"
    /// Partition count for topics the fetcher creates.
    public var topicPartitions = 8
    /// Run one sync and stop, or sync every `interval`.
    public var runsOnce = true
    public var interval: Duration = .seconds(60)

    public init(pipeline: PipelineConfig, kafka: KafkaClientConfiguration) {
        self.pipeline = pipeline
        self.kafka = kafka
    }

    public func topic(for resource: ResourceConfig) -> String {
        TopicNaming.topic(prefix: topicPrefix, resource: resource.name)
    }
}

public enum TopicNaming {
    public static func topic(prefix: String, resource: String) -> String {
        prefix.isEmpty ? resource : "\(prefix).\(resource)"
    }
}

/// Header names on every record message (see README, "Message format").
public enum RecordHeaders {
    public static let resource = "paystream.resource"
    public static let cursor = "paystream.cursor"
    public static let fetchedAt = "paystream.fetched_at"
    public static let contentType = "content-type"
}
