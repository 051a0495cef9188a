@testable import PaystreamFetcher
import Testing

/// When a unit's owner works on it, and when `--once` is satisfied.
@Suite struct RoundScheduleTests {
    let unit = WorkUnit(resource: "invoices")

    private func checkpoint(_ round: Int, run: Int, _ status: UnitCheckpoint.Status) -> UnitCheckpoint {
        UnitCheckpoint(round: round, run: run, status: status, updatedAt: "u")
    }

    @Test func onceWantsTheNextCompletionAndFinishesARoundLeftUnfinished() {
        let fresh = RoundTarget(seen: nil)
        #expect(fresh == RoundTarget(round: 1, firstRun: 1))
        let afterCompletion = RoundTarget(seen: checkpoint(4, run: 6, .completed))
        #expect(afterCompletion.round == 5)
        #expect(!afterCompletion.isMet(by: checkpoint(4, run: 6, .completed)))
        #expect(afterCompletion.isMet(by: checkpoint(5, run: 7, .completed)))
        let killedMidRound = RoundTarget(seen: checkpoint(4, run: 6, .running))
        #expect(killedMidRound.round == 4, "a round a killed fetcher left running is finished, not started again")
        #expect(killedMidRound.isMet(by: checkpoint(4, run: 7, .completed)))

        let schedule = RoundSchedule.once(["invoices": killedMidRound])
        #expect(schedule.decide(unit: unit, checkpoint(4, run: 6, .running), endedAgo: 0) == .resume)
        #expect(schedule.decide(unit: unit, checkpoint(4, run: 7, .completed), endedAgo: 0) == .wait(seconds: nil))
    }

    @Test func onlyFailuresAfterThisFetcherStartedCount() {
        let target = RoundTarget(seen: checkpoint(2, run: 3, .failed))
        #expect(!target.hasFailed(checkpoint(2, run: 3, .failed)), "an earlier run's failure is retried")
        #expect(RoundSchedule.once(["invoices": target]).decide(unit: unit, checkpoint(2, run: 3, .failed), endedAgo: 0) == .resume)
        #expect(target.hasFailed(checkpoint(2, run: 4, .failed)))
        #expect(RoundSchedule.once(["invoices": target]).decide(unit: unit, checkpoint(2, run: 4, .failed), endedAgo: 0) == .wait(seconds: nil))
    }

    /// A member that joins while a sliced round runs and sees some slices already finished
    /// it wants that round, like the others: slice 0 pins a next round only for members that
    /// want one, and a fixed window read again publishes every version twice.
    @Test func theSlicesOfAResourceShareOneTarget() {
        let slices = (0..<4).map { WorkUnit(resource: "customers", slice: $0, slices: 4) }
        let seen: [String: UnitCheckpoint] = [
            "customers#0": checkpoint(1, run: 1, .running), "customers#1": checkpoint(1, run: 1, .running),
            "customers#2": checkpoint(1, run: 1, .completed), "customers#3": checkpoint(1, run: 2, .completed),
            "invoices": checkpoint(1, run: 1, .completed),
        ]
        let targets = RoundTarget.targets(for: slices + [unit], seen: { seen[$0] })
        #expect(slices.allSatisfy { targets[$0.id]?.round == 1 }, "\(targets)")
        #expect(targets["customers#3"]?.isMet(by: seen["customers#3"]) == true)
        #expect(targets["invoices"]?.round == 2, "a whole resource keeps its own target")

        let allDone = Dictionary(uniqueKeysWithValues: slices.map { ($0.id, checkpoint(1, run: 1, .completed)) })
        let next = RoundTarget.targets(for: slices, seen: { allDone[$0] })
        #expect(slices.allSatisfy { next[$0.id]?.round == 2 }, "\(next)")
    }

    @Test func aDaemonResumesAtOnceAndStartsTheNextRoundAnIntervalAfterTheLast() {
        let daemon = RoundSchedule.every(.seconds(60))
        #expect(daemon.decide(unit: unit, nil, endedAgo: .infinity) == .startNext)
        #expect(daemon.decide(unit: unit, checkpoint(1, run: 1, .running), endedAgo: 0) == .resume)
        #expect(daemon.decide(unit: unit, checkpoint(1, run: 1, .completed), endedAgo: 20) == .wait(seconds: 40))
        #expect(daemon.decide(unit: unit, checkpoint(1, run: 1, .completed), endedAgo: 61) == .startNext)
        #expect(daemon.decide(unit: unit, checkpoint(1, run: 1, .failed), endedAgo: 61) == .resume)
    }

    @Test func everyUnitHasAStatePartitionOfItsOwn() {
        let units = WorkUnit.all([]) + [WorkUnit(resource: "a"), WorkUnit(resource: "b", slice: 0, slices: 2), WorkUnit(resource: "b", slice: 1, slices: 2)]
        let layout = StateTopicLayout(topic: "p._paystream_state", units: units, partitions: 3)
        #expect(Set(units.map(layout.partition(for:))) == [0, 1, 2])
        let shared = StateTopicLayout(topic: "p._paystream_state", units: units, partitions: 1)
        #expect(!shared.hasAPartitionPerUnit && units.allSatisfy { shared.partition(for: $0) == 0 })
    }
}
