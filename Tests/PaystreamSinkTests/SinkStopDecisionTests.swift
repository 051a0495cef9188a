import PaystreamKafka
import PaystreamMessageFormat
@testable import PaystreamSink
import Testing

/// What the sink decides when asked to stop, and when `--until-caught-up` gives up, without
/// a broker.
@Suite struct SinkStopDecisionTests {
    @Test func nothingGivesUpBeforeAStopIsRequested() {
        let stop = SinkStop(bound: .seconds(10))
        #expect(!stop.isRequested && stop.deadline == nil && !stop.deadlineHasPassed)
        // A wait is then as long as its own timeout.
        let end = stop.waitEnd(.seconds(30))
        #expect(end > .now + .seconds(29))
    }

    @Test func aStopSetsTheWritersDeadlineAtHalfTheBound() {
        let stop = SinkStop(bound: .seconds(10))
        let before = ContinuousClock.now
        stop.request()
        let deadline = stop.deadline
        #expect(deadline.map { $0 >= before + .seconds(5) && $0 <= .now + .seconds(5) } == true)
        #expect(!stop.deadlineHasPassed)
        // A longer wait ends at the deadline, a shorter one at its own end.
        #expect(stop.waitEnd(.seconds(30)) == deadline)
        #expect(stop.waitEnd(.milliseconds(10)) < deadline!)
        // A second request does not move it.
        stop.request()
        #expect(stop.deadline == deadline)
    }

    @Test func aZeroBoundGivesUpAtOnce() {
        let stop = SinkStop(bound: .zero)
        stop.request()
        #expect(stop.deadlineHasPassed)
    }
}

@Suite struct StallWatchTests {
    let a = TopicPartition(topic: "p.customers", partition: 0)

    @Test func overdueOnlyWhenProgressStandsStillLongerThanTheLimit() {
        var watch = StallWatch(limit: .seconds(30))
        let start = ContinuousClock.now
        let answers = [(0, 0), (0, 29), (0, 31), (1, 32), (1, 61), (1, 63)].map { progress, second in
            watch.isOverdue(progress: progress, now: start + .seconds(second))
        }
        // Progress starts the clock again.
        #expect(answers == [false, false, true, false, false, true])
    }

    @Test func theCaughtUpCheckCountsEndsSeenAndPositionsGained() {
        var check = CaughtUpCheck(starts: [a: .beginning])
        #expect(check.progress == 0)
        _ = check.isDone { _ in nil as Int64? }
        #expect(check.progress == 0, "no answer from the broker is no progress")
        _ = check.isDone { _ in 10 }
        #expect(check.progress == 1, "an end seen")
        check.advance([a: 4], afterMessages: true)
        check.advance([a: 4], afterMessages: false)
        #expect(check.progress == 2, "the same position twice is one step")
        #expect(check.behind == "p.customers[0] at 4 of 10")
    }
}
