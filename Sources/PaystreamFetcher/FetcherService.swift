import Logging
import PaystreamBasics
import PaystreamConfig
import PaystreamKafka
import PaystreamMessageFormat
import PaystreamSource
import ServiceLifecycle

/// Runs the fetcher: its work units (a resource each, or its slices) — every unit itself,
/// or, in a group, the units Kafka's group protocol gives this member — once or on an
/// interval. On SIGTERM/SIGINT, or when a unit moves to another member, its worker stops
/// at a page boundary and commits the pages it handed on with a checkpoint there (within
/// `handOverTimeout`, else it aborts them); the group is left.
///
/// A daemon outlives its cluster: while the broker is away its units fail and try again
/// (counted, and unready), and when the topics it created are gone or were created anew (a
/// broker that came back without its data) it starts over with new clients on topics it
/// creates again (`runGeneration`). A `--once` run fails instead.
public final class FetcherService: Service {
    private let configuration: FetcherConfiguration
    private let logger: Logger
    private let progress = SyncProgress()
    /// Whether the units can publish, for readiness.
    public let health = PublishingHealth()

    public init(configuration: FetcherConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    public func run() async throws {
        let client = RESTClient(maximumConnectionsPerHost: max(8, configuration.pageConcurrency * configuration.units.count))
        let outcome: Result<Void, any Error>
        do {
            try await runGenerations(client: client)
            outcome = .success(())
        } catch {
            outcome = .failure(error)
        }
        try? await client.shutdown()
        switch outcome {
        case .failure(let error) where error is CancellationError:
            guard configuration.runsOnce else {
                logger.info("stopped on request; unfinished units keep their checkpoints")
                return
            }
            throw StoppedBeforeDone(unfinished: "the sync of \(configuration.units.map(\.id).joined(separator: ", "))")
        case .failure(let error) where error is KafkaError || error is KafkaTransactionError || error is StateTopicError:
            // Setting up or following the topics failed: say which cluster.
            throw ClusterFailure(servers: configuration.kafka.servers, error: error)
        default:
            try outcome.get()
        }
    }

    /// Generations one after the other. A `--once` run has one. A daemon starts a new one
    /// when its topics were lost, and when the cluster failed one (after a pause, 1 s growing
    /// to 30 s, and unready meanwhile): it outlives a cluster that is away, or back but not
    /// ready yet.
    private func runGenerations(client: RESTClient) async throws {
        var lost: TopicsLost?
        var pause = Duration.seconds(1)
        while true {
            do {
                try await runGeneration(client: client, after: lost) {
                    lost = nil
                    pause = .seconds(1)
                    self.health.cleared(PublishingHealth.topics)
                }
                return
            } catch let error as TopicsLost where !configuration.runsOnce {
                logger.error("\(error); starting over with new clients on topics created again")
                lost = error
            } catch where !configuration.runsOnce && UnitWorker.isKafkaFailure(error) {
                let reason = "the Kafka cluster at \(configuration.kafka.servers) failed: \(error)"
                health.failed(PublishingHealth.topics, reason)
                logger.error("\(reason); starting over in \(pause)")
                try await cancelWhenGracefulShutdown { [pause] in try await Task.sleep(for: pause) }
                pause = min(pause * 2, .seconds(30))
            }
        }
    }

    /// One set of clients on one set of topics: until the run is over, or (`TopicsLost`)
    /// until those topics are gone. `setUp` is called once the topics are in place.
    private func runGeneration(client: RESTClient, after lost: TopicsLost?, setUp: () -> Void) async throws {
        let admin = try KafkaAdmin(configuration: configuration.kafka, logger: logger)
        let topics = FetcherTopics(configuration: configuration)
        let (layout, _) = try await topics.create(with: admin, logger: logger)
        if let lost { try await StateReset(configuration: configuration, layout: layout, logger: logger).reset(after: lost) }
        let watch = ClusterWatch(admin: admin, known: try await admin.describeTopics(topics.names), kafka: configuration.kafka)
        setUp()
        let states = try StateTopicReader(layout: layout, kafka: configuration.kafka, logger: logger)
        let producer = configuration.usesTransactions
            ? nil : try SharedProducer(configuration: KafkaProducerConfiguration(client: configuration.kafka), logger: logger)
        // Why this generation's units stop, when the watch ends it.
        let stop = StopRequest()
        do {
            try await withThrowingTaskGroup(of: [String]?.self) { group in
                group.addTask {
                    try await states.run()
                    return nil
                }
                group.addTask {
                    try await self.reportProgress()
                    return nil
                }
                group.addTask {
                    do {
                        try await watch.run(givingUpUnreachable: self.configuration.runsOnce)
                    } catch let error where !(error is CancellationError) {
                        stop.request(.abandon)
                        throw error
                    }
                    return nil
                }
                group.addTask {
                    try await cancelWhenGracefulShutdown {
                        try await self.work(states: states, layout: layout, producer: producer, client: client, stop: stop)
                    }
                }
                defer { group.cancelAll() }
                while let finished = try await group.next() {
                    if let failures = finished {
                        if !failures.isEmpty { throw FetcherError(failures: failures) }
                        return
                    }
                }
            }
        } catch {
            await producer?.close(flushTimeout: configuration.abortTimeout)
            throw error
        }
        await producer?.close(flushTimeout: configuration.abortTimeout)
    }

    /// Works on the units until cancelled or, with `--once`, until every unit met its
    /// target; returns the failed units' reasons.
    private func work(
        states: StateTopicReader, layout: StateTopicLayout, producer: SharedProducer?, client: RESTClient, stop: StopRequest
    ) async throws -> [String] {
        try await states.catchUp()
        let units = configuration.units
        let schedule: RoundSchedule = configuration.runsOnce
            ? .once(RoundTarget.targets(for: units, seen: states.checkpoint))
            : .every(configuration.interval)
        let failures = UnitFailures()
        let context = UnitContext(
            configuration: configuration, states: states, stateLayout: layout, client: client, progress: progress, schedule: schedule,
            sharedProducer: producer, health: health, failures: failures, logger: logger
        )
        let scheduler = UnitScheduler(context: context)
        // Stopping: hand the units over (each within its bound), unless the topics are gone
        // or others own them already.
        let stopReason: @Sendable () -> StopRequest.Reason = { stop.requested ?? .handOver }
        do {
            let decided = try await withThrowingTaskGroup(of: [String]?.self) { group in
                if let groupID = configuration.group {
                    group.addTask {
                        try await self.followGroup(groupID, scheduler: scheduler, stopReason: stopReason)
                        return nil
                    }
                } else {
                    units.forEach(scheduler.start)
                }
                if case .once(let targets) = schedule {
                    group.addTask { try await Self.waitUntilDecided(targets, states) }
                    group.addTask { await failures.first() }
                }
                defer { group.cancelAll() }
                while let result = try await group.next() {
                    if let failures = result { return failures }
                }
                // A daemon outside a group: its workers run until it is stopped.
                try await Task.sleep(for: .seconds(365 * 86400))
                return []
            }
            await scheduler.stopAll(stopReason())
            // Units that could not reach the cluster fail the run, whatever else was decided.
            return failures.reasons.isEmpty ? decided : failures.reasons
        } catch {
            await scheduler.stopAll(stopReason())
            throw error
        }
    }

    /// Joins the group on the work topics of this fetcher's resources and runs the units
    /// (partitions) it is given.
    private func followGroup(_ groupID: String, scheduler: UnitScheduler, stopReason: @escaping @Sendable () -> StopRequest.Reason) async throws {
        var consumer = KafkaConsumerConfiguration(client: configuration.kafka, groupID: groupID)
        consumer.sessionTimeout = configuration.sessionTimeout
        consumer.assignmentStrategy = .cooperativeSticky
        let work = GroupWork(units: configuration.units, topics: configuration.topics)
        let logger = self.logger
        let handOverWait = configuration.handOverTimeout + configuration.abortTimeout + .seconds(1)
        // A revoked unit's worker stops at a page boundary and commits; the group moves the
        // unit once it did (or, past the bound, aborted: the next owner's `initTransactions`
        // fences it, and `LeakedRecordScan` covers what Tansu leaves visible). A lost unit
        // is someone else's already: its worker commits nothing.
        let membership = try KafkaGroupMembership(configuration: consumer, topics: work.topics, logger: logger) { partitions, release in
            let units = work.units(in: partitions)
            guard release == .revoked, stopReason() == .handOver else {
                scheduler.abandon(units)
                return
            }
            if !scheduler.handOver(units, within: handOverWait) {
                logger.warning("units revoked from this fetcher did not stop within \(handOverWait): \(units.map(\.id).joined(separator: ", ")); their next owner fences them")
            }
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await membership.run() }
            for await event in membership.events {
                switch event {
                case .assigned(let partitions): work.units(in: partitions).forEach(scheduler.start)
                case .revoked(let partitions): work.units(in: partitions).forEach { scheduler.stop($0, stopReason()) }
                }
                logger.info("units owned: \(scheduler.owned.map(\.id).joined(separator: ", "))")
            }
            try await group.waitForAll()
        }
    }

    /// Returns once every unit met its target or failed it: the failures' reasons.
    private static func waitUntilDecided(_ targets: [String: RoundTarget], _ states: StateTopicReader) async throws -> [String] {
        while true {
            if let failures = RoundTarget.outcome(of: targets, latest: states.latest) { return failures }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    private func reportProgress() async throws {
        while true {
            try await Task.sleep(for: configuration.progressInterval)
            progress.report(logger)
        }
    }
}

/// The cluster failed the fetcher outside any unit (creating or describing its topics,
/// reading the state topic).
struct ClusterFailure: Error, CustomStringConvertible {
    var servers: String
    var error: any Error

    var description: String { "the Kafka cluster at \(servers) failed: \(error)" }
}

/// Units failed; the message lists each with its reason.
public struct FetcherError: Error, CustomStringConvertible {
    public var failures: [String]

    public var description: String {
        "\(failures.count) unit(s) failed:\n" + failures.map { "  - \($0)" }.joined(separator: "\n")
    }
}
