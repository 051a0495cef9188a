import Logging
import Synchronization

/// Membership in a consumer group, for sharing work rather than messages: the group's
/// partitions stand for units of work, and Kafka's assignor spreads them over the live
/// members. A member that stops heartbeating loses its partitions after the session
/// timeout; one that joins takes its share (with `cooperativeSticky`, only what must move
/// moves). Assignments arrive on `events`; `run` keeps the membership alive.
public final class KafkaGroupMembership: Sendable {
    public enum Event: Sendable, Equatable {
        case assigned([KafkaTopicPartition])
        case revoked([KafkaTopicPartition])
    }

    /// How partitions leave this member.
    public enum Release: Sendable {
        /// An orderly rebalance: nobody owns them until this member let go of them.
        case revoked
        /// This member's session expired (it stopped heartbeating for a while): others own
        /// them already.
        case lost
    }

    public let events: AsyncStream<Event>
    private let continuation: AsyncStream<Event>.Continuation
    private let configuration: KafkaConsumerConfiguration
    private let forwarder: Forwarder
    private let topics: [String]
    private let logger: Logger

    /// `handOver` is called when partitions leave this member, before the group learns that
    /// it let them go (on the membership's own queue, which waits for it). When revoked, the
    /// application stops the work they stand for and makes its progress durable there, so
    /// that the next owner starts where it stopped: keep it bounded, well under the group's
    /// rebalance timeout (`max.poll.interval.ms`, 5 minutes); heartbeats go on meanwhile.
    /// When lost, others own them already: the application drops the work at once.
    public init(
        configuration: KafkaConsumerConfiguration, topics: [String], logger: Logger,
        handOver: @escaping @Sendable ([KafkaTopicPartition], Release) -> Void = { _, _ in }
    ) throws {
        let (events, continuation) = AsyncStream.makeStream(of: Event.self)
        self.events = events
        self.continuation = continuation
        self.topics = topics
        self.logger = logger
        // The consumer is made in `run`, by the task that owns it; a bad property fails here.
        try RDKafkaConfCheck.validate(configuration.librdkafkaProperties)
        self.configuration = configuration
        forwarder = Forwarder(continuation, handOver: handOver)
    }

    /// Joins and stays in the group until cancelled, then leaves it (so the partitions
    /// move at once) and ends `events`. The member's consumer belongs to this task.
    public func run() async throws {
        let topics = self.topics
        defer { continuation.finish() }
        let consumer = try KafkaConsumer(configuration: configuration, rebalanceHandler: forwarder, logger: logger)
        try await consumer.run { try $0.subscribe(topics: topics) }
        while !Task.isCancelled {
            // The topics hold no messages: polling serves heartbeats and rebalances.
            _ = try await consumer.run { try $0.poll(maximumMessages: 100, timeout: .milliseconds(100)) }
        }
        try await consumer.run { try $0.close() }
    }

    private final class Forwarder: KafkaRebalanceHandler {
        let continuation: AsyncStream<Event>.Continuation
        let handOver: @Sendable ([KafkaTopicPartition], Release) -> Void

        init(_ continuation: AsyncStream<Event>.Continuation, handOver: @escaping @Sendable ([KafkaTopicPartition], Release) -> Void) {
            self.continuation = continuation
            self.handOver = handOver
        }

        func partitionsAssigned(_ partitions: [KafkaTopicPartition]) -> [KafkaTopicPartition: KafkaOffset] {
            continuation.yield(.assigned(partitions))
            return [:]
        }

        func partitionsRevoked(_ partitions: [KafkaTopicPartition]) {
            handOver(partitions, .revoked)
            continuation.yield(.revoked(partitions))
        }

        func partitionsLost(_ partitions: [KafkaTopicPartition]) {
            handOver(partitions, .lost)
            continuation.yield(.revoked(partitions))
        }
    }
}
