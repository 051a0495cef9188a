import Foundation
import PaystreamMockAPI
import Synchronization
import TestSupport
import Testing

/// Servers that send the head and part of the body, then nothing: a request has one
/// deadline for all of it, a stalled request is retried, a daemon never waits forever.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct StalledBodyTests {
    @Test func stalledBodiesAreRetriedLikeTimeoutsAndTheListingCompletes() async throws {
        try await withMockAPI(records: 250) { server, url in
            let config = try ReaderFixture.config(
                client: PaginatorAndAuthTests.apiKeyAuth,
                endpoint: "paginator: {type: offset, limit: 25}, error_handler: {request_timeout: 1, max_retries: 12, backoff_factor: 0.05}",
                baseURL: url
            )
            // Half the responses stall: about 11 pages, so some surely do.
            server.faults = MockFaults(rate: 0.5, kinds: [.stall])
            let before = server.requestCount
            let records = try await withDeadline(.seconds(90)) { try await ReaderFixture.read(config) }
            #expect(records != nil, "the read waited on a stalled body for 90 s")
            #expect(Set(records?.map(\.0) ?? []) == Set(ReaderFixture.current(server).keys))
            #expect(server.requestCount - before > 12, "stalled requests were retried")
        }
    }

    /// One resource's responses always stall: it fails each cycle, and the other resources
    /// keep syncing on the daemon's interval.
    @Test func aDaemonCycleNeverWaitsForeverOnOneResource() async throws {
        try await withMockAPI(records: 100) { server, url in
            let pipeline = try PipelineFixture(
                server: server, baseURL: url, errorHandler: "{request_timeout: 1, max_retries: 1, backoff_factor: 0.05}"
            )
            server.faults = MockFaults(rate: 1, kinds: [.stall])
            server.faults.resources = [.customers]
            let fetcher = try await RunningProcess(
                ProjectPaths.executable("paystream-fetcher"),
                ["--config", pipeline.configPath, "--brokers", pipeline.brokers, "--topic-prefix", pipeline.topicPrefix, "--interval", "0.5"],
                environment: ["PAYSTREAM_API_KEY": pipeline.apiKey]
            )
            // Units are independent: invoices go on syncing while customers' requests time out.
            func invoicesCompletedThreeSyncs(_ checkpoints: [String: StateCheckpoint]) -> Bool {
                let invoices = checkpoints["invoices"]
                return (invoices?.round ?? 0) > 3 || (invoices?.round == 3 && invoices?.status == "completed")
            }
            func progressed(_ checkpoints: [String: StateCheckpoint]) -> Bool {
                invoicesCompletedThreeSyncs(checkpoints) && checkpoints["customers"]?.status == "failed"
            }
            let deadline = ContinuousClock.now + .seconds(60)
            var checkpoints = try await stateCheckpoints(pipeline.stateTopic)
            while ContinuousClock.now < deadline, !progressed(checkpoints) {
                try await Task.sleep(for: .milliseconds(200))
                checkpoints = try await stateCheckpoints(pipeline.stateTopic)
            }
            fetcher.signal(SIGTERM)
            let result = try await fetcher.result(timeout: .seconds(30))
            #expect(invoicesCompletedThreeSyncs(checkpoints), "invoices synced fewer than 3 times in 60 s while customers stalled: \(result.stderr.suffix(2000))")
            #expect(checkpoints["customers"]?.error?.contains("resource customers") == true, "customers' failure is recorded: \(String(describing: checkpoints["customers"]))")
            #expect(result.stderr.contains("resource customers"), "and reported")
        }
    }
}

/// `body`'s result, or nil when it has not finished by `timeout` (it is then left running:
/// a request stuck in a socket read may not be cancellable).
func withDeadline<T: Sendable>(_ timeout: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T? {
    let outcome = Mutex<Result<T, any Error>?>(nil)
    let work = Task {
        let result = await Result { try await body() }
        outcome.withLock { $0 = result }
    }
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if let result = outcome.withLock({ $0 }) { return try result.get() }
        try await Task.sleep(for: .milliseconds(50))
    }
    work.cancel()
    return nil
}

extension Result where Failure == any Error {
    init(_ body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
