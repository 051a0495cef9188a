import PaystreamConfig
import PaystreamKafka
import PaystreamMessageFormat
import PaystreamStore

public struct SinkConfiguration: Sendable {
    public var pipeline: PipelineConfig
    public var kafka: KafkaClientConfiguration
    public var databasePath: String
    /// The sink reads every partition of its topics itself (no group membership); it
    /// commits its offsets under this group only so that lag tools can show them.
    public var groupID = "paystream-sink"
    public var topicPrefix = "paystream"
    /// Rejected messages go here, with headers naming the error and their origin.
    public var deadLetterTopic: String { MessageTopics(prefix: topicPrefix).deadLetter }
    /// Exit once everything up to the high-water marks seen at start is written.
    public var stopsWhenCaughtUp = false
    /// How often the sink looks for new topics and partitions, and for topics recreated
    /// under the same name.
    public var metadataInterval: Duration = .seconds(10)
    /// A batch (one SQLite transaction) closes at whichever limit comes first.
    public var batchMaximumMessages = 20_000
    public var batchMaximumBytes = 32 * 1024 * 1024
    public var batchMaximumTime: Duration = .milliseconds(500)
    public var progressInterval: Duration = .seconds(10)
    public var storeOptions = RecordStore.Options()
    public var deleteMode = DeleteMode.hard
    /// Forget the store's offsets at start and read every partition from the beginning
    /// (re-sync an existing store, e.g. after the topics were recreated).
    public var resetsStoredOffsets = false
    /// The longest the sink waits for the broker on one request (topic metadata, creating
    /// the dead-letter topic, a dead letter's acknowledgement, the last offset commits), and
    /// with `stopsWhenCaughtUp` for any progress at all, before it gives up
    /// (`--broker-timeout`, shared by every Kafka client).
    public var kafkaTimeout: Duration { kafka.brokerTimeout }
    /// SIGTERM to exit, whatever the broker or the database is doing: the stated bound
    /// (README, "The sink"), within the compose file's grace period.
    public var stopTimeout: Duration = .seconds(10)
    /// What the service group allows the sink's graceful shutdown before it leaves the
    /// sink's threads behind: the stop bound less a second for ending the process.
    public var gracefulShutdownLimit: Duration { stopTimeout - .seconds(1) }
    /// Set by tests only (the executable never sets them).
    public var testing = TestingHooks()

    /// What a tombstone does to its row.
    public enum DeleteMode: String, Sendable, CaseIterable {
        /// Delete the row.
        case hard
        /// Keep the row and set `_paystream_deleted_at` (a newer version clears it).
        case soft
    }

    public struct TestingHooks: Sendable {
        /// Called after each batch committed to SQLite, before its offsets are committed to
        /// Kafka, with the number of batches so far (a crash test kills the process here).
        public var afterStoreCommit: (@Sendable (Int) -> Void)?
        /// Behave as on a broker without topic ids (recreated topics are then recognised
        /// by a fingerprint of their first message).
        public var ignoresTopicIDs = false
        /// Called on the writer thread before a batch's dead letters are sent (a stop test
        /// kills the broker meanwhile).
        public var beforeDeadLetters: (@Sendable () -> Void)?

        public init() {}
    }

    public init(pipeline: PipelineConfig, kafka: KafkaClientConfiguration, databasePath: String) {
        self.pipeline = pipeline
        self.kafka = kafka
        self.databasePath = databasePath
    }
}
