import PaystreamConfig
import PaystreamKafka
import PaystreamStore

public struct SinkConfiguration: Sendable {
    public var pipeline: PipelineConfig
    public var kafka: KafkaClientConfiguration
    public var databasePath: String
    public var groupID = "paystream-sink"
    public var topicPrefix = "paystream"
    /// Rejected messages go here, with headers naming the error and their origin.
    public var deadLetterTopic: String { topicPrefix.isEmpty ? "dead-letter" : "\(topicPrefix).dead-letter" }
    /// Exit once everything up to the high-water marks seen at start is written.
    public var stopsWhenCaughtUp = false
    public var sessionTimeout: Duration = .seconds(10)
    /// A batch (one SQLite transaction) closes at whichever limit comes first.
    public var batchMaximumMessages = 20_000
    public var batchMaximumBytes = 32 * 1024 * 1024
    public var batchMaximumTime: Duration = .milliseconds(500)
    public var progressInterval: Duration = .seconds(10)
    public var storeOptions = RecordStore.Options()
    /// Tombstones mark rows deleted instead of removing them.
    public var softDelete = false
    /// Forget the store's offsets at start and read every partition from the beginning
    /// (re-sync an existing store, e.g. after the topics were recreated).
    public var resetsStoredOffsets = false
    /// Test hook: SIGKILL the process right after this many batches were committed to
    /// SQLite and before their offsets are committed to Kafka. Never set in production.
    public var crashAfterBatchesForTesting: Int?

    public init(pipeline: PipelineConfig, kafka: KafkaClientConfiguration, databasePath: String) {
        self.pipeline = pipeline
        self.kafka = kafka
        self.databasePath = databasePath
    }

    /// Resource topic → its table.
    public var tablesByTopic: [String: TableSpec] {
        var tables: [String: TableSpec] = [:]
        for resource in pipeline.selectedResources {
            let topic = topicPrefix.isEmpty ? resource.name : "\(topicPrefix).\(resource.name)"
            let cursor = resource.endpoint.incremental?.cursorPath ?? "updated_at"
            tables[topic] = TableSpec(name: resource.tableName, primaryKey: resource.primaryKey, cursorField: cursor, softDelete: softDelete)
        }
        return tables
    }
}

extension KafkaConsumedMessage: StoreMessage {}
