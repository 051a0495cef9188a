import Logging
@testable import PaystreamKafka
import PaystreamMessageFormat
@testable import PaystreamSink
import PaystreamStore
import Testing

/// The sink's decisions without a broker: when `--until-caught-up` may stop, and where each
/// partition starts reading.
@Suite struct CaughtUpCheckTests {
    let a = TopicPartition(topic: "p.customers", partition: 0)
    let b = TopicPartition(topic: "p.customers", partition: 1)

    @Test func notDoneUntilEveryEndIsSeenAndReached() {
        var check = CaughtUpCheck(starts: [a: .beginning, b: .exact(40)])
        #expect(!check.isDone { $0 == a ? 100 : nil }, "b's end not seen yet")
        check.advance([a: 100], afterMessages: true)
        #expect(check.isDone { $0 == a ? 100 : 40 }, "b starts at its end: nothing to read there")
    }

    @Test func aTargetIsTheEndSeenFirstNotALaterOne() {
        var check = CaughtUpCheck(starts: [a: .beginning])
        #expect(!check.isDone { _ in 10 })
        check.advance([a: 10], afterMessages: true)
        // Messages written after the start do not move the target.
        #expect(check.isDone { _ in 500 })
    }

    @Test func positionsPastTransactionMarkersCountWithoutMessages() {
        var check = CaughtUpCheck(starts: [a: .exact(0)])
        #expect(!check.isDone { _ in 12 })
        check.advance([a: 11], afterMessages: true)
        #expect(!check.isDone { _ in 12 })
        // The commit marker at 11: the position moves past it with no message returned.
        check.advance([a: 12], afterMessages: false)
        #expect(check.isDone { _ in 12 })
    }

    @Test func aRestartedPartitionCountsOnlyOnceReadAgain() {
        var check = CaughtUpCheck(starts: [a: .exact(0)])
        check.advance([a: 50], afterMessages: true)
        #expect(check.isDone { _ in 50 })
        check.restart([a])
        #expect(!check.isDone { _ in 50 })
        check.advance([a: 50], afterMessages: false)
        #expect(!check.isDone { _ in 50 }, "a stale position taken before any message was read again")
        check.advance([a: 50], afterMessages: true)
        #expect(check.isDone { _ in 50 })
    }

    @Test func forgottenPartitionsNoLongerHoldItBack() {
        var check = CaughtUpCheck(starts: [a: .exact(0), b: .exact(0)])
        check.advance([a: 5], afterMessages: true)
        #expect(!check.isDone { $0 == a ? 5 : 9 })
        check.forget([b])
        #expect(check.isDone { $0 == a ? 5 : 9 })
    }
}

@Suite struct PartitionStartsTests {
    let p = TopicPartition(topic: "p.invoices", partition: 2)
    let starts = PartitionStarts(logger: Logger(label: "test"), timeout: .seconds(1)) {
        throw KafkaError(operation: "probe", code: "_TEST", reason: "no broker in unit tests")
    }

    @Test func aPartitionTheStoreNeverReadStartsAtTheBeginning() throws {
        let (offsets, stale) = try starts.resolve([p], described: ["p.invoices": .init(partitionCount: 3, topicID: "id-1")], checkpoints: [:])
        #expect(offsets == [p: .beginning])
        #expect(stale.isEmpty)
    }

    @Test func theSameTopicIdResumesAtTheStoredOffset() throws {
        let (offsets, stale) = try starts.resolve(
            [p], described: ["p.invoices": .init(partitionCount: 3, topicID: "id-1")], checkpoints: [p: PartitionCheckpoint(nextOffset: 812, topicID: "id-1")]
        )
        #expect(offsets == [p: .exact(812)])
        #expect(stale.isEmpty)
    }

    @Test func aNewTopicIdMeansRecreatedReadFromTheBeginningAndForgetTheOffset() throws {
        let (offsets, stale) = try starts.resolve(
            [p], described: ["p.invoices": .init(partitionCount: 3, topicID: "id-2")], checkpoints: [p: PartitionCheckpoint(nextOffset: 812, topicID: "id-1")]
        )
        #expect(offsets == [p: .beginning])
        #expect(stale == [p])
    }

    @Test func withoutIdsOrFingerprintTheStoredOffsetStands() throws {
        let (offsets, stale) = try starts.resolve([p], described: ["p.invoices": .init(partitionCount: 3, topicID: nil)], checkpoints: [p: PartitionCheckpoint(nextOffset: 7)])
        #expect(offsets == [p: .exact(7)])
        #expect(stale.isEmpty)
    }
}
