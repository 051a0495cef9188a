import CRDKafka
import Logging
import PaystreamMessageFormat

enum RDKafkaRebalance {
    /// Applies a rebalance: asks the application for start offsets on assignment, tells it
    /// about revocation, and (un)assigns with the protocol the group negotiated.
    static func handle(_ rk: OpaquePointer, _ err: rd_kafka_resp_err_t, _ list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) {
        let context = RDKafkaCallbackContext.from(rk)
        let cooperative = String(cString: rd_kafka_rebalance_protocol(rk)) == "COOPERATIVE"
        let partitions = RDKafkaTopicPartitionList.elements(list).map(\.0)
        switch err {
        case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
            let starts = context?.rebalanceHandler?.partitionsAssigned(partitions) ?? [:]
            for i in 0..<Int(list.pointee.cnt) {
                let e = list.pointee.elems[i]
                if let start = starts[KafkaTopicPartition(topic: String(cString: e.topic), partition: e.partition)] {
                    list.pointee.elems[i].offset = RDKafkaOffset.value(start)
                }
            }
            context?.logger.info("assigned partitions: \(TopicPartition.summary(partitions))")
            if cooperative {
                if let error = rd_kafka_incremental_assign(rk, list) {
                    context?.logger.error("\(KafkaError(operation: "assign partitions", consuming: error))")
                }
            } else {
                rd_kafka_assign(rk, list)
            }
        case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
            // Lost: the session expired and the group moved them already.
            if rd_kafka_assignment_lost(rk) != 0 {
                context?.logger.warning("lost partitions (this member's group session expired; others own them now): \(TopicPartition.summary(partitions))")
                context?.rebalanceHandler?.partitionsLost(partitions)
            } else {
                context?.rebalanceHandler?.partitionsRevoked(partitions)
                context?.logger.info("revoked partitions: \(TopicPartition.summary(partitions))")
            }
            if cooperative {
                if let error = rd_kafka_incremental_unassign(rk, list) {
                    context?.logger.error("\(KafkaError(operation: "unassign partitions", consuming: error))")
                }
            } else {
                rd_kafka_assign(rk, nil)
            }
        default:
            context?.logger.error("\(KafkaError(operation: "rebalance", code: err))")
            rd_kafka_assign(rk, nil)
        }
    }
}
