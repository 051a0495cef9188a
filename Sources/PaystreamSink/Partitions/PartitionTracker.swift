import PaystreamKafka
import PaystreamMessageFormat

/// The partitions the sink reads, as the cluster last described its topics. Each new
/// description says what changed: topics that appeared or gained partitions, and topics
/// deleted and created again (a new topic id) while the sink ran.
struct PartitionTracker {
    let topics: [String]
    private(set) var described: [String: KafkaTopicDescription] = [:]
    /// Behave as on a broker without topic ids (tests of the fingerprint fallback).
    let ignoresTopicIDs: Bool

    struct Changes {
        /// Partitions to start reading.
        var added: [TopicPartition] = []
        /// Partitions of topics recreated since the last description: read them again from
        /// their beginning; their stored offsets no longer apply.
        var recreated: [TopicPartition] = []
        /// Partitions that no longer exist (a topic recreated with fewer partitions, or deleted).
        var removed: [TopicPartition] = []

        var isEmpty: Bool { added.isEmpty && recreated.isEmpty && removed.isEmpty }
    }

    init(topics: [String], ignoresTopicIDs: Bool) {
        self.topics = topics
        self.ignoresTopicIDs = ignoresTopicIDs
    }

    /// The topic ids to record with offsets.
    var topicIDs: [String: String] { described.compactMapValues(\.topicID) }

    var partitions: [TopicPartition] {
        described.flatMap { topic, d in (0..<d.partitionCount).map { TopicPartition(topic: topic, partition: Int32($0)) } }.sorted()
    }

    mutating func update(_ latest: [String: KafkaTopicDescription]) -> Changes {
        var changes = Changes()
        for topic in topics {
            let old = described[topic]
            var new = latest[topic]
            if ignoresTopicIDs { new?.topicID = nil }
            let oldCount = old?.partitionCount ?? 0, newCount = new?.partitionCount ?? 0
            let range = { (r: Range<Int>) in r.map { TopicPartition(topic: topic, partition: Int32($0)) } }
            if let oldID = old?.topicID, let newID = new?.topicID, oldID != newID {
                changes.recreated += range(0..<min(oldCount, newCount))
            }
            changes.added += range(oldCount..<max(oldCount, newCount))
            changes.removed += range(newCount..<max(oldCount, newCount))
            described[topic] = new
        }
        return changes
    }
}
