@testable import PaystreamFetcher
import PaystreamMessageFormat
import Testing

/// Which units a group member runs for the partitions Kafka assigns it, and when `--once`
/// is over for the units it followed.
@Suite struct GroupWorkTests {
    let topics = MessageTopics(prefix: "demo")
    let units = [WorkUnit(resource: "customers")] + (0..<3).map { WorkUnit(resource: "invoices", slice: $0, slices: 3) }

    @Test func aPartitionOfAWorkTopicIsAUnit() {
        let work = GroupWork(units: units, topics: topics)
        #expect(work.topics == [topics.work("customers"), topics.work("invoices")], "one work topic per resource, in config order")
        let assigned = [
            TopicPartition(topic: topics.work("invoices"), partition: 2),
            TopicPartition(topic: topics.work("customers"), partition: 0),
            TopicPartition(topic: topics.work("invoices"), partition: 0),
        ]
        #expect(work.units(in: assigned).map(\.id) == ["invoices#2", "customers", "invoices#0"])
    }

    @Test func partitionsThatStandForNoUnitOfThisMemberAreIgnored() {
        let work = GroupWork(units: units.filter { $0.resource == "invoices" }, topics: topics)
        let assigned = [
            TopicPartition(topic: topics.work("customers"), partition: 0),   // another member's --resources
            TopicPartition(topic: topics.work("invoices"), partition: 3),    // beyond the slices
            TopicPartition(topic: topics.records("invoices"), partition: 1), // not a work topic
            TopicPartition(topic: topics.work("invoices"), partition: 1),
        ]
        #expect(work.units(in: assigned).map(\.id) == ["invoices#1"])
    }

    @Test func onceIsOverWhenEveryUnitMetOrFailedItsTarget() {
        var latest: [String: UnitCheckpoint] = [:]
        let targets = RoundTarget.targets(for: units, seen: { _ in nil })
        #expect(RoundTarget.outcome(of: targets, latest: latest) == nil)
        for unit in units { latest[unit.id] = UnitCheckpoint(round: 1, run: 1, status: .completed, updatedAt: "u") }
        #expect(RoundTarget.outcome(of: targets, latest: latest) == [])
        var failed = UnitCheckpoint(round: 1, run: 1, status: .failed, updatedAt: "u")
        failed.error = "HTTP 500"
        latest["invoices#1"] = failed
        #expect(RoundTarget.outcome(of: targets, latest: latest) == ["invoices#1: HTTP 500"])
        latest["customers"] = UnitCheckpoint(round: 1, run: 1, status: .running, updatedAt: "u")
        #expect(RoundTarget.outcome(of: targets, latest: latest) == nil, "customers is still running")
    }
}
