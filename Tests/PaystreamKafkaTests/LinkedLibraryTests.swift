@testable import PaystreamKafka
import PaystreamMessageFormat
import Testing

@Suite struct LinkedLibraryTests {
    /// Debian bookworm's librdkafka 2.0.2 shares the SONAME and cannot talk to Tansu:
    /// the build must load the ops/setup build (>= 2.8), never the system one.
    @Test func loadsLibrdkafkaAtLeast2_8() throws {
        let parts = KafkaVersion.linkedLibrary.split(separator: ".").compactMap { Int($0) }
        #expect(parts.count >= 2)
        #expect(parts[0] > 2 || (parts[0] == 2 && parts[1] >= 8), "linked librdkafka is \(KafkaVersion.linkedLibrary)")
    }
}

@Suite struct RebalanceLogTests {
    @Test func partitionListsAreSummarisedAsRanges() {
        let partitions = [0, 1, 2, 3, 6, 7, 9].map { KafkaTopicPartition(topic: "p.charges", partition: Int32($0)) }
            + [KafkaTopicPartition(topic: "p.all", partition: 0)]
        #expect(TopicPartition.summary(partitions) == "p.all[0], p.charges[0-3,6-7,9]")
    }
}
