import CRDKafka
import Logging
import PaystreamBasics
import PaystreamMessageFormat

/// Reads what partitions hold without group membership, with a consumer of its own: where
/// they end and start, the group's committed offsets, and (`+Range`) the messages between
/// two offsets. Each read assigns the partitions it needs and unassigns them after, so it
/// never shares a consumer that reads for the application. Not `Sendable`, like the consumer
/// it owns.
public final class KafkaPartitionReader {
    let consumer: KafkaConsumer

    public init(configuration: KafkaConsumerConfiguration, logger: Logger) throws {
        consumer = try KafkaConsumer(configuration: configuration, logger: logger)
    }

    /// Runs blocking calls on the reader's own queue while the calling task waits (see
    /// `KafkaConsumer.run`).
    public func run<T>(_ body: (KafkaPartitionReader) throws -> T) async throws -> T {
        try await consumer.run { _ in try body(self) }
    }

    /// Partition counts of `topics` as the cluster reports them; missing topics are absent.
    public func partitionCounts(_ topics: [String], timeout: Duration) throws -> [String: Int] {
        try consumer.partitionCounts(topics, timeout: timeout)
    }

    /// Every partition of the `topics` that exist.
    public func partitions(of topics: [String], timeout: Duration) throws -> [KafkaTopicPartition] {
        try partitionCounts(topics, timeout: timeout)
            .flatMap { topic, count in (0..<count).map { KafkaTopicPartition(topic: topic, partition: Int32($0)) } }
            .sorted()
    }

    /// End offsets (high watermarks: the offset after the last message) as fetch responses
    /// report them: the reader assigns the partitions at their end, polls until a response
    /// for each arrived, then unassigns them. A broker's answer to a ListOffsets query can
    /// be wrong where fetch responses are right: Tansu 0.6 answers with the last record
    /// batch's base offset + 1.
    public func endOffsets(_ partitions: [KafkaTopicPartition], timeout: Duration) throws -> [KafkaTopicPartition: Int64] {
        guard !partitions.isEmpty else { return [:] }
        try consumer.assign(Dictionary(partitions.map { ($0, KafkaOffset.end) }, uniquingKeysWith: { a, _ in a }))
        defer { try? consumer.assign([:]) }
        var ends: [KafkaTopicPartition: Int64] = [:]
        let wanted = Set(partitions)
        let deadline = ContinuousClock.now + timeout
        while ends.count < wanted.count {
            guard ContinuousClock.now < deadline else {
                throw KafkaError(operation: "read end offsets (\(ends.count) of \(wanted.count) partitions answered)", code: RD_KAFKA_RESP_ERR__TIMED_OUT)
            }
            _ = try consumer.poll(maximumMessages: 10_000, timeout: .milliseconds(50))
            for tp in wanted where ends[tp] == nil {
                if let (_, high) = consumer.cachedWatermarks(tp) { ends[tp] = high }
            }
        }
        return ends
    }

    /// Start offsets (low watermarks: the first message still on the broker), from a
    /// ListOffsets query per partition.
    public func startOffsets(_ partitions: [KafkaTopicPartition], timeout: Duration) throws -> [KafkaTopicPartition: Int64] {
        var starts: [KafkaTopicPartition: Int64] = [:]
        for tp in partitions { starts[tp] = try RDKafkaMetadata.lowWatermark(consumer.handle.pointer, tp, timeout: timeout) }
        return starts
    }

    /// The group's committed offsets (the group of the reader's configuration); partitions
    /// without one are absent. These are what lag tools such as `kafka-consumer-groups` show;
    /// the integration tests check the sink's commits with it.
    public func committedOffsets(_ partitions: [KafkaTopicPartition], timeout: Duration) throws -> [KafkaTopicPartition: Int64] {
        let list = RDKafkaTopicPartitionList.make(partitions)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        let err = rd_kafka_committed(consumer.handle.pointer, list, Int32(timeout.milliseconds))
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(operation: "read committed offsets", code: err) }
        var result: [KafkaTopicPartition: Int64] = [:]
        for (tp, offset, _) in RDKafkaTopicPartitionList.elements(list) { result[tp] = offset }
        return result
    }
}
