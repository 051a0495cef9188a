@testable import PaystreamKafka
import Testing

/// Waiting for acknowledgements: an unbounded wait ends only with the reports; a bounded one
/// also gives up on its timeout or its task's cancellation, leaving the messages in flight.
@Suite struct DeliveryTrackerTests {
    private func report(_ offset: Int64) -> KafkaDeliveryReport {
        KafkaDeliveryReport(topic: "t", partition: 0, offset: offset, error: nil)
    }

    @Test func aBoundedWaitGivesUpOnItsTimeoutWhileAMessageIsInFlight() async {
        let tracker = DeliveryTracker()
        tracker.willSend()
        #expect(await tracker.waitForAll(timeout: .milliseconds(50)) == nil)
        tracker.didDeliver(report(7))
        #expect(await tracker.waitForAll(timeout: .milliseconds(50))?.delivered == 1)
    }

    @Test func aBoundedWaitEndsWithTheLastReport() async {
        let tracker = DeliveryTracker()
        tracker.willSend()
        tracker.willSend()
        async let summary = tracker.waitForAll(timeout: .seconds(60))
        tracker.didDeliver(report(1))
        tracker.didNotSend()
        #expect(await summary?.delivered == 1)
    }

    @Test func aBoundedWaitGivesUpWhenItsTaskIsCancelled() async {
        let tracker = DeliveryTracker()
        tracker.willSend()
        let waiting = Task { await tracker.waitForAll(timeout: .seconds(60)) }
        waiting.cancel()
        #expect(await waiting.value == nil)
        // Cancelled before it began waiting, too.
        let early = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return await tracker.waitForAll(timeout: .seconds(60))
        }
        #expect(await early.value == nil)
    }

    @Test func aWaitThatDoesNotGiveUpWhenCancelledEndsOnlyWithItsTimeoutOrTheReport() async {
        let tracker = DeliveryTracker()
        tracker.willSend()
        let waiting = Task { await tracker.waitForAll(timeout: .seconds(60), givingUpWhenCancelled: false)?.delivered }
        waiting.cancel()
        try? await Task.sleep(for: .milliseconds(50))
        tracker.didDeliver(report(2))
        #expect(await waiting.value == 1)
        tracker.willSend()
        let cancelled = Task { await tracker.waitForAll(timeout: .milliseconds(50), givingUpWhenCancelled: false) }
        cancelled.cancel()
        #expect(await cancelled.value == nil)
    }

    @Test func anUnboundedWaitOutlivesCancellationUntilTheReportArrives() async {
        let tracker = DeliveryTracker()
        tracker.willSend()
        let waiting = Task { await tracker.waitForAll().delivered }
        waiting.cancel()
        try? await Task.sleep(for: .milliseconds(50))
        tracker.didDeliver(report(3))
        #expect(await waiting.value == 1)
    }
}
