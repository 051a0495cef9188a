import PaystreamMessageFormat
/// Told about partition assignment changes. Called on the thread that is inside
/// `KafkaConsumer.poll`, between batches, so no batch is half-processed at that moment.
public protocol KafkaRebalanceHandler: Sendable {
    /// Partitions this member now owns. Return a start offset for any partition whose
    /// position the application tracks itself (e.g. in its own database); the others start
    /// from the group's committed offset.
    func partitionsAssigned(_ partitions: [KafkaTopicPartition]) -> [KafkaTopicPartition: KafkaOffset]
    /// Partitions this member gives up in an orderly rebalance: no other member owns them
    /// yet, so work on them may still be finished and made durable here.
    func partitionsRevoked(_ partitions: [KafkaTopicPartition])
    /// Partitions this member lost without a rebalance it took part in: its session expired
    /// (it stopped heartbeating: paused, partitioned, starved), so the group has already
    /// given them to other members. Nothing more may be done for them.
    func partitionsLost(_ partitions: [KafkaTopicPartition])
}
