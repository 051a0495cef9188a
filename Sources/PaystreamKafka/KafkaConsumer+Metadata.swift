import CRDKafka
import PaystreamMessageFormat

/// What the cluster says about topics.
extension KafkaConsumer {
    /// Partition counts of `topics` as the cluster reports them.
    public func partitionCounts(_ topics: [String], timeout: Duration) throws -> [String: Int] {
        try RDKafkaMetadata.partitionCounts(handle.pointer, topics, timeout: timeout)
    }

    /// Partition counts and topic ids of the topics that exist; missing topics are absent.
    public func describeTopics(_ topics: [String], timeout: Duration) throws -> [String: KafkaTopicDescription] {
        try RDKafkaMetadata.describeTopics(handle.pointer, topics, timeout: timeout)
    }
}
