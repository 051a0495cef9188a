import Foundation
import PaystreamMessageFormat
import PaystreamMockAPI
import TestSupport
import Testing

/// Three fetchers in one group against an API with latency, so that a sync takes several
/// seconds: members die, pause and join mid-sync, and a `read_committed` reader still sees
/// each record version exactly once.
@Suite(.serialized, .timeLimit(.minutes(4)))
struct FetcherGroupTests {
    @Test func aMemberKilledMidSyncLosesItsUnitsToTheOthersAndEachRecordIsPublishedOnce() async throws {
        try await withMockAPI(records: 3000) { server, url in
            server.faults.latency = .milliseconds(100)
            let fixture = try GroupFixture(server: server, baseURL: url)
            let members = try await fixture.startFetchers(3)
            try await GroupFixture.waitFor("round 1 begins", in: members[0])
            try await Task.sleep(for: .seconds(1.5))
            members[0].signal(SIGKILL)
            #expect(await members[0].exited().wasSignaled)
            for result in try await GroupFixture.results(of: Array(members[1...])) {
                #expect(result.status == 0, "\(result.stderr.suffix(3000))")
            }
            try await fixture.expectEachRecordExactlyOnce()
            let state = try await fixture.stateValues()
            for unit in GroupFixture.unitIDs {
                #expect(state[unit]?.contains(#""round":1"#) == true && state[unit]?.contains(#""status":"completed""#) == true, "\(unit): \(state[unit] ?? "no checkpoint")")
            }

            // The sink reads the transactional topics (read_committed) to their end.
            let store = FileManager.default.temporaryDirectory.appendingPathComponent(uniqueName("group-store") + ".sqlite").path
            let sink = try await fixture.runSink(database: store)
            #expect(sink.status == 0, "\(sink.stderr.suffix(3000))")
            try fixture.expectStoreEqualsAPI(store)
        }
    }

    /// On Tansu, the records of the killed member's open transaction become visible when
    /// the new owner's `initTransactions` aborts it; the new owner must not publish them again.
    @Test func aMemberKilledWithRecordsInAnOpenTransactionIsNotPublishedTwice() async throws {
        try await withMockAPI(records: 3000) { server, url in
            server.faults.latency = .milliseconds(100)
            let fixture = try GroupFixture(server: server, baseURL: url)
            // Long transactions: a unit commits only when its round ends (about 3.5 s here).
            let members = try await fixture.startFetchers(3, ["--checkpoint-interval", "60"])
            try await Self.waitForAWholeResourceRound(in: members[0])
            try await Task.sleep(for: .seconds(1.5))
            members[0].signal(SIGKILL)
            _ = await members[0].exited()
            var survivorsLog = ""
            for result in try await GroupFixture.results(of: Array(members[1...])) {
                #expect(result.status == 0, "\(result.stderr.suffix(3000))")
                survivorsLog += result.stderr
            }
            try await fixture.expectEachRecordExactlyOnce()
            // The scenario happened: the killed member's records were visible to the new owner.
            #expect(survivorsLog.contains("already visible"), "no takeover found records of an unfinished transaction")
        }
    }

    @Test func aPausedMemberIsFencedAndNothingItSendsAfterwardsBecomesVisible() async throws {
        try await withMockAPI(records: 3000) { server, url in
            server.faults.latency = .milliseconds(100)
            let fixture = try GroupFixture(server: server, baseURL: url)
            let members = try await fixture.startFetchers(3)
            try await Self.waitForAWholeResourceRound(in: members[0])
            try await Task.sleep(for: .seconds(1))
            members[0].signal(SIGSTOP)
            for result in try await GroupFixture.results(of: Array(members[1...])) {
                #expect(result.status == 0, "\(result.stderr.suffix(3000))")
            }
            let checkpoints = try await fixture.stateValues().filter { !$0.key.hasSuffix("@claim") }
            try await fixture.expectEachRecordExactlyOnce()

            members[0].signal(SIGCONT)
            // It learns at its next heartbeat that its session expired and drops its units
            // without committing (README: "within a session timeout and a hand-over"), then
            // exits as its group's outcome says.
            let resumed = ContinuousClock.now
            let zombie = try await members[0].result(timeout: Self.pausedMemberBound + .seconds(30))
            #expect(ContinuousClock.now - resumed < Self.pausedMemberBound + .seconds(20), "\(zombie.stderr.suffix(3000))")
            #expect(zombie.status == 0, "\(zombie.stderr.suffix(3000))")
            #expect(zombie.stderr.contains("lost partitions"), "it let go of its units as lost:\n\(zombie.stderr.suffix(3000))")
            #expect(try await fixture.stateValues().filter { !$0.key.hasSuffix("@claim") } == checkpoints, "a checkpoint moved after the paused member resumed")
            try await fixture.expectEachRecordExactlyOnce()
        }
    }

    @Test func aMemberThatJoinsMidSyncTakesAShareOfTheUnits() async throws {
        try await withMockAPI(records: 8000) { server, url in
            // Whole resources take about 20 s: joining a Tansu group takes up to 15.
            server.faults.latency = .milliseconds(250)
            let fixture = try GroupFixture(server: server, baseURL: url)
            let first = try await fixture.startFetchers(2)
            for member in first { try await GroupFixture.waitFor("round 1 begins", in: member) }
            let late = try await fixture.startFetcher()
            let results = try await GroupFixture.results(of: [late] + first)
            let lateResult = results[0]
            #expect(lateResult.status == 0, "\(lateResult.stderr.suffix(3000))")
            let firstLogs = results.dropFirst().map(\.stderr)
            for result in results.dropFirst() { #expect(result.status == 0, "\(result.stderr.suffix(3000))") }
            #expect(lateResult.stderr.contains("sync complete"), "the member that joined completed no unit:\n\(lateResult.stderr.suffix(3000))")
            // The members that gave up units mid-round handed them over: they committed where
            // they stopped. (A unit whose round was over, or a slice waiting for its round, has
            // nothing to hand over.)
            // (On a loaded machine a hand-over may take longer than its bound and abort: that
            // is allowed, so only that some unit was handed over is checked.)
            #expect(firstLogs.contains { $0.contains("handed over at a page boundary") }, "no unit was handed over:\n\(firstLogs.map { $0.suffix(2000) })")
            // The units that moved were handed over at a page boundary with their pages
            // committed, so no aborted transaction left records for the new owner to find.
            // (Whole resources only: a slice's scan also meets the other slices' records.)
            let leftovers = lateResult.stderr.split(separator: "\n").filter { $0.contains("already visible") && !$0.contains("paystream.unit=") }
            #expect(leftovers.isEmpty, "\(leftovers.joined(separator: "\n"))")
            try await fixture.expectEachRecordExactlyOnce()
        }
    }

    /// A fetcher killed in the middle of a large resource: the next one resumes at the
    /// last committed page instead of reading the listing again.
    @Test func aKilledFetcherResumesFromItsLastCommittedPage() async throws {
        let records = 6000
        try await withMockAPI(records: records) { server, url in
            // About 7 s for the listing, checkpoints every half second.
            server.faults.latency = .milliseconds(100)
            let fixture = try GroupFixture(server: server, baseURL: url, resources: [.invoices])
            let first = try await fixture.startFetcher(["--checkpoint-interval", "0.5"])
            // Most of the listing committed, then a kill.
            let deadline = ContinuousClock.now + .seconds(60)
            while true {
                let invoices = try await stateCheckpoints(fixture.topics.state)["invoices"]
                if invoices?.round == 1, invoices?.status == "running", (invoices?.published ?? 0) >= records * 2 / 3 { break }
                guard invoices?.round != 1 || invoices?.status != "completed" else { throw TestFailure("the round completed before the kill could come: \(String(describing: invoices))") }
                guard ContinuousClock.now < deadline, first.isRunning else { throw TestFailure("no progress:\n\(first.stderrSoFar.suffix(3000))") }
                try await Task.sleep(for: .milliseconds(100))
            }
            first.signal(SIGKILL)
            _ = await first.exited()
            let before = server.requestCount
            let second = try await fixture.startFetcher().result(timeout: .seconds(120))
            #expect(second.status == 0, "\(second.stderr.suffix(3000))")
            let requests = server.requestCount - before
            // A full read: pages of 100 overlapping by 10, so about records / 90.
            let fullRead = records / 90
            #expect(requests < fullRead / 2, "the resumed fetcher made \(requests) requests; a full read is about \(fullRead)")
            // Resumed, not started as a new round: round 1 completed by the second run.
            let invoices = try await stateCheckpoints(fixture.topics.state)["invoices"]
            #expect(invoices == StateCheckpoint(round: 1, run: 2, status: "completed", published: records), "\(String(describing: invoices))")
            try await fixture.expectEachRecordExactlyOnce([.invoices])
        }
    }

    /// How soon a resumed member lets go of its units and ends (session timeout 6 s here,
    /// hand-over 3 s, abort 2 s, with room for the group's outcome to be read).
    static let pausedMemberBound = Duration.seconds(15)

    private static func waitForAWholeResourceRound(in member: RunningProcess) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while !member.stderrSoFar.split(separator: "\n").contains(where: { $0.contains("round 1 begins") && !$0.contains("paystream.unit=") }) {
            guard ContinuousClock.now < deadline, member.isRunning else { throw TestFailure("the member began no whole resource:\n\(member.stderrSoFar.suffix(3000))") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}
