import PaystreamMessageFormat
/// Told about partition assignment changes. Called on the thread that is inside
/// `KafkaConsumer.poll`, between batches, so no batch is half-processed at that moment.
public protocol KafkaRebalanceHandler: Sendable {
    /// Partitions this member now owns. Return a start offset for any partition whose
    /// position the application tracks itself (e.g. in its own database); the others start
    /// from the group's committed offset.
    func partitionsAssigned(_ partitions: [KafkaTopicPartition]) -> [KafkaTopicPartition: KafkaOffset]
    /// Partitions this member no longer owns.
    func partitionsRevoked(_ partitions: [KafkaTopicPartition])
}
