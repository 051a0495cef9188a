import CRDKafka
import PaystreamBasics
import PaystreamMessageFormat

/// Reading partitions without group membership: the application decides which partitions
/// it reads and from where (e.g. from offsets kept in its own database).
extension KafkaConsumer {
    /// Reads partitions directly, without group membership, each from its offset; an empty
    /// map unassigns everything.
    public func assign(_ offsets: [KafkaTopicPartition: KafkaOffset]) throws {
        let list = offsets.isEmpty ? nil : RDKafkaTopicPartitionList.make(offsets)
        defer { list.map { rd_kafka_topic_partition_list_destroy($0) } }
        let err = rd_kafka_assign(handle.pointer, list)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(operation: "assign partitions", code: err) }
    }

    /// Adds partitions to the current assignment, each starting at its offset; the
    /// partitions already assigned keep their positions.
    public func addPartitions(_ offsets: [TopicPartition: KafkaOffset]) throws {
        guard !offsets.isEmpty else { return }
        let list = RDKafkaTopicPartitionList.make(offsets)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        if let error = rd_kafka_incremental_assign(handle.pointer, list) {
            throw KafkaError(operation: "assign partitions", consuming: error)
        }
    }

    /// Removes partitions from the current assignment.
    public func removePartitions(_ partitions: [TopicPartition]) throws {
        guard !partitions.isEmpty else { return }
        let list = RDKafkaTopicPartitionList.make(partitions)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        if let error = rd_kafka_incremental_unassign(handle.pointer, list) {
            throw KafkaError(operation: "unassign partitions", consuming: error)
        }
    }

    /// Moves assigned partitions to new offsets. Messages already fetched for their old
    /// positions are discarded, never returned.
    public func seek(_ offsets: [TopicPartition: KafkaOffset], timeout: Duration = .seconds(10)) throws {
        guard !offsets.isEmpty else { return }
        let list = RDKafkaTopicPartitionList.make(offsets)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        if let error = rd_kafka_seek_partitions(handle.pointer, list, Int32(timeout.milliseconds)) {
            throw KafkaError(operation: "seek", consuming: error)
        }
        for (tp, _, err) in RDKafkaTopicPartitionList.elements(list) where err != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError(operation: "seek", code: err, topic: tp.topic, partition: tp.partition)
        }
    }

    /// Where the application is in each partition: the offset after the last message
    /// `poll` returned, moved past transaction markers and aborted messages that `poll`
    /// skipped. Partitions without a position yet (nothing read since assignment) are absent.
    public func positions(_ partitions: [TopicPartition]) throws -> [TopicPartition: Int64] {
        guard !partitions.isEmpty else { return [:] }
        let list = RDKafkaTopicPartitionList.make(partitions)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        let err = rd_kafka_position(handle.pointer, list)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(operation: "read positions", code: err) }
        var result: [TopicPartition: Int64] = [:]
        for (tp, offset, _) in RDKafkaTopicPartitionList.elements(list) { result[tp] = offset }
        return result
    }
}
