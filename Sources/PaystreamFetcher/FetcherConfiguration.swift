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
    public var progressInterval: Duration = .seconds(10)
    /// Pages of one resource requested at once, where the paginator allows it.
    public var pageConcurrency = 4
    /// Sync only these resources (nil: every selected one), to split resources across
    /// fetcher instances.
    public var resourceNames: Set<String>?

    public init(pipeline: PipelineConfig, kafka: KafkaClientConfiguration) {
        self.pipeline = pipeline
        self.kafka = kafka
    }

    /// The resources this fetcher syncs.
    public var resources: [ResourceConfig] {
        pipeline.selectedResources.filter { resourceNames?.contains($0.name) ?? true }
    }

    /// The compacted topic holding each resource's incremental cursor.
    public var stateTopic: String { TopicNaming.topic(prefix: topicPrefix, resource: "_paystream_state") }

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
