import CRDKafka
import PaystreamMessageFormat

/// What the cluster says about topics.
extension KafkaConsumer {
    /// Partition counts of `topics` as the cluster reports them.
    public func partitionCounts(_ topics: [String], timeout: Duration) throws -> [String: Int] {
        try RDKafkaMetadata.partitionCounts(handle.pointer, topics, timeout: timeout)
    }

    /// Partition counts and topic ids of the topics that exist; missing topics are absent.
    /// `giveUp` is asked while the answer is awaited (every 100 ms): true ends the wait with
    /// `_INTR` (e.g. the application is stopping and must not wait out `timeout`).
    public func describeTopics(_ topics: [String], timeout: Duration, giveUp: () -> Bool = { false }) throws -> [String: KafkaTopicDescription] {
        try RDKafkaMetadata.describeTopics(handle.pointer, topics, timeout: timeout, giveUp: giveUp)
    }
}
