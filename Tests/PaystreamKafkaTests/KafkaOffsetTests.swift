import CRDKafka
@testable import PaystreamKafka
import PaystreamMessageFormat
import Testing

/// Offsets as librdkafka reads and writes them: the one place they are converted.
@Suite struct KafkaOffsetTests {
    @Test func startsBecomeLibrdkafkasNumbers() {
        // librdkafka's RD_KAFKA_OFFSET_BEGINNING and RD_KAFKA_OFFSET_END.
        #expect(RDKafkaOffset.value(.beginning) == -2)
        #expect(RDKafkaOffset.value(.end) == -1)
        #expect(RDKafkaOffset.value(.exact(0)) == 0)
        #expect(RDKafkaOffset.value(.exact(812)) == 812)
    }

    @Test func librdkafkasNumbersWithoutAnOffsetReadAsNone() {
        // RD_KAFKA_OFFSET_INVALID: no position or committed offset yet.
        #expect(RDKafkaOffset.none == -1001)
        #expect(RDKafkaOffset.real(RDKafkaOffset.none) == nil)
        #expect(RDKafkaOffset.real(-2) == nil)
        #expect(RDKafkaOffset.real(-1) == nil)
        #expect(RDKafkaOffset.real(0) == 0)
        #expect(RDKafkaOffset.real(41) == 41)
    }

    @Test func aPartitionListKeepsEachStart() {
        let a = KafkaTopicPartition(topic: "t", partition: 0)
        let b = KafkaTopicPartition(topic: "t", partition: 1)
        let c = KafkaTopicPartition(topic: "u", partition: 0)
        let list = RDKafkaTopicPartitionList.make([a: .beginning, b: .end, c: .exact(7)])
        defer { rd_kafka_topic_partition_list_destroy(list) }
        let raw = (0..<Int(list.pointee.cnt)).map { list.pointee.elems[$0].offset }
        #expect(raw == [-2, -1, 7], "sorted by topic and partition")
        let read = RDKafkaTopicPartitionList.elements(list)
        #expect(read.map(\.0) == [a, b, c])
        #expect(read.map(\.1) == [nil, nil, 7], "only the exact offset reads back as one")
    }
}
