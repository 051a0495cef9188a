import PaystreamConfig
import PaystreamKafka
import PaystreamMessageFormat

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
    /// Sync only these resources (nil: every selected one).
    public var resourceNames: Set<String>?
    /// Share the work units with every fetcher started with the same group (Kafka consumer
    /// group membership); nil: this fetcher runs every unit itself.
    public var group: String?
    /// A group member that stops heartbeating loses its units after this long.
    public var sessionTimeout: Duration = .seconds(10)
    /// Publish in Kafka transactions, each unit's records with its checkpoint, fenced by
    /// the unit's transactional id. Always on in a group.
    public var isExactlyOnce = false
    /// A unit commits its records and checkpoint at the first page boundary after this long
    /// (or after `checkpointRecords` records): how much a new owner reads again at most.
    public var checkpointInterval: Duration = .seconds(1)
    public var checkpointRecords = 50_000
    /// How long a unit that stops (it moves to another member, or the fetcher stops) may
    /// take to commit the pages it already sent; past it they are aborted, and the next
    /// owner reads them again. Keeps SIGTERM and rebalances prompt whatever the broker does.
    public var handOverTimeout: Duration = .seconds(3)
    /// How long aborting a unit's transaction may take before its messages are purged
    /// instead (the broker aborts the transaction itself after its transaction timeout, or
    /// the next owner's claim does).
    public var abortTimeout: Duration = .seconds(2)

    public init(pipeline: PipelineConfig, kafka: KafkaClientConfiguration) {
        self.pipeline = pipeline
        self.kafka = kafka
    }

    /// The resources this fetcher syncs.
    public var resources: [ResourceConfig] {
        pipeline.selectedResources.filter { resourceNames?.contains($0.name) ?? true }
    }

    public var units: [WorkUnit] { WorkUnit.all(resources) }

    /// Every unit of the config, also those of resources other fetchers sync.
    public var allUnits: [WorkUnit] { WorkUnit.all(pipeline.selectedResources) }

    public var topics: MessageTopics { MessageTopics(prefix: topicPrefix) }

    /// The compacted topic holding every unit's checkpoint and every resource's cursor.
    public var stateTopic: String { topics.state }

    public func topic(for resource: String) -> String { topics.records(resource) }

    public func resource(named name: String) -> ResourceConfig? { resources.first { $0.name == name } }

    /// Transactions are on: in a group, or asked for.
    public var usesTransactions: Bool { group != nil || isExactlyOnce }

    /// The unit's transactional id: the state topic (hence the prefix) and the unit, so two
    /// fetchers working on the same unit, in a group or not, fence each other.
    public func transactionalID(for unit: WorkUnit) -> String { "\(stateTopic).\(unit.id)" }
}
