@testable import PaystreamFetcher
import Testing

/// How a unit's worker is stopped, and what its failures tell the run and readiness.
@Suite struct UnitLifecycleTests {
    @Test func abandoningWinsOverHandingOver() {
        let stop = StopRequest()
        #expect(stop.requested == nil)
        stop.request(.handOver)
        #expect(stop.requested == .handOver)
        stop.request(.abandon)
        stop.request(.handOver)
        #expect(stop.requested == .abandon)
    }

    @Test func theFirstFailureOfAOnceRunEndsItsWait() async {
        let failures = UnitFailures()
        async let first = failures.first()
        try? await Task.sleep(for: .milliseconds(20))
        failures.record(WorkUnit(resource: "charges"), "publishing failed")
        #expect(await first == ["charges: publishing failed"])
        let cancelled = Task { await UnitFailures().first() }
        cancelled.cancel()
        #expect(await cancelled.value == nil, "a stop is no failure")
    }

    @Test func aUnitThatCannotPublishMakesTheFetcherUnreadyUntilItCommits() {
        let health = PublishingHealth()
        let unit = WorkUnit(resource: "refunds")
        #expect(health.problem == nil)
        health.failed(unit.id, "publishing to the Kafka cluster at k:9092 failed: timed out")
        #expect(health.problem == "cannot publish: refunds: publishing to the Kafka cluster at k:9092 failed: timed out")
        health.cleared(unit.id)
        #expect(health.problem == nil)
    }
}
