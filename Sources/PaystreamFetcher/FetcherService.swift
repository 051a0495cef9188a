import Logging
import PaystreamConfig
import PaystreamKafka
import PaystreamMessageFormat
import PaystreamSource
import ServiceLifecycle

/// Runs the fetcher: its work units (a resource each, or its slices) — every unit itself,
/// or, in a group, the units Kafka's group protocol gives this member — once or on an
/// interval. On SIGTERM/SIGINT, or when a unit moves to another member, its worker stops
/// at a page boundary and commits the pages it handed on with a checkpoint there; the
/// group is left.
public final class FetcherService: Service {
    private let configuration: FetcherConfiguration
    private let logger: Logger
    private let progress = SyncProgress()

    public init(configuration: FetcherConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    public func run() async throws {
        let layout = try await createTopics()
        let states = try StateTopicReader(layout: layout, kafka: configuration.kafka, logger: logger)
        let producer = configuration.usesTransactions
            ? nil : try KafkaProducer(configuration: KafkaProducerConfiguration(client: configuration.kafka), logger: logger)
        let client = RESTClient(maximumConnectionsPerHost: max(8, configuration.pageConcurrency * configuration.units.count))
        let outcome: Result<Void, any Error>
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
                    try await cancelWhenGracefulShutdown {
                        try await self.work(states: states, layout: layout, producer: producer, client: client)
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
            outcome = .success(())
        } catch {
            outcome = .failure(error)
        }
        await producer?.close()
        try? await client.shutdown()
        switch outcome {
        case .failure(let error) where error is CancellationError:
            logger.info("stopped on request; unfinished units keep their checkpoints")
        default:
            try outcome.get()
        }
    }

    /// Works on the units until cancelled or, with `--once`, until every unit met its
    /// target; returns the failed units' reasons.
    private func work(states: StateTopicReader, layout: StateTopicLayout, producer: KafkaProducer?, client: RESTClient) async throws -> [String] {
        try await states.catchUp()
        let units = configuration.units
        let schedule: RoundSchedule = configuration.runsOnce
            ? .once(RoundTarget.targets(for: units, seen: states.checkpoint))
            : .every(configuration.interval)
        let context = UnitContext(
            configuration: configuration, states: states, stateLayout: layout, client: client, progress: progress, schedule: schedule,
            sharedProducer: producer, logger: logger
        )
        let scheduler = UnitScheduler(context: context)
        do {
            let failures = try await withThrowingTaskGroup(of: [String]?.self) { group in
                if let groupID = configuration.group {
                    group.addTask {
                        try await self.followGroup(groupID, scheduler: scheduler)
                        return nil
                    }
                } else {
                    units.forEach(scheduler.start)
                }
                if case .once(let targets) = schedule {
                    group.addTask { try await Self.waitUntilDecided(targets, states) }
                }
                defer { group.cancelAll() }
                while let result = try await group.next() {
                    if let failures = result { return failures }
                }
                // A daemon outside a group: its workers run until it is stopped.
                try await Task.sleep(for: .seconds(365 * 86400))
                return []
            }
            await scheduler.stopAll()
            return failures
        } catch {
            await scheduler.stopAll()
            throw error
        }
    }

    /// Joins the group on the work topics of this fetcher's resources and runs the units
    /// (partitions) it is given.
    private func followGroup(_ groupID: String, scheduler: UnitScheduler) async throws {
        var consumer = KafkaConsumerConfiguration(client: configuration.kafka, groupID: groupID)
        consumer.sessionTimeout = configuration.sessionTimeout
        consumer.assignmentStrategy = .cooperativeSticky
        let work = GroupWork(units: configuration.units, topics: configuration.topics)
        let logger = self.logger
        // A revoked unit's worker stops at a page boundary and commits; the group moves the
        // unit once it did (or, past the bound, the next owner's `initTransactions` fences it
        // and aborts its transaction, which `LeakedRecordScan` covers).
        let membership = try KafkaGroupMembership(configuration: consumer, topics: work.topics, logger: logger) { partitions in
            let revoked = work.units(in: partitions)
            if !scheduler.handOver(revoked, within: Self.handOverTimeout) {
                logger.warning("units revoked from this fetcher did not stop within \(Self.handOverTimeout): \(revoked.map(\.id).joined(separator: ", ")); their next owner fences them")
            }
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await membership.run() }
            for await event in membership.events {
                switch event {
                case .assigned(let partitions): work.units(in: partitions).forEach(scheduler.start)
                case .revoked(let partitions): work.units(in: partitions).forEach { scheduler.stop($0) }
                }
                logger.info("units owned: \(scheduler.owned.map(\.id).joined(separator: ", "))")
            }
            try await group.waitForAll()
        }
    }

    /// How long a revocation waits for the revoked units' workers to commit and stop: a
    /// page's request and a commit, with room to spare, well under the group's rebalance
    /// timeout (`max.poll.interval.ms`, 5 minutes).
    static let handOverTimeout = Duration.seconds(30)

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

    /// Creates the resource topics, the state topic (a partition per unit, see
    /// `StateTopicLayout`) and, in a group, the work topics; returns the state topic's layout.
    private func createTopics() async throws -> StateTopicLayout {
        let admin = try KafkaAdmin(configuration: configuration.kafka, logger: logger)
        var topics = configuration.resources.map {
            KafkaNewTopic(name: configuration.topic(for: $0.name), partitions: configuration.topicPartitions, configs: ["cleanup.policy": "compact"])
        }
        topics.append(KafkaNewTopic(name: configuration.stateTopic, partitions: configuration.allUnits.count, configs: ["cleanup.policy": "compact"]))
        let work = configuration.group == nil ? [] : configuration.resources.map { KafkaNewTopic(name: configuration.topics.work($0.name), partitions: $0.slices) }
        let created = try await admin.createTopics(topics + work)
        if !created.isEmpty { logger.info("created topics: \(created.joined(separator: ", "))") }
        let counts = try await admin.partitionCounts([configuration.stateTopic] + work.map(\.name))
        // A work topic must have one partition per slice: a partition is a unit.
        for topic in work where counts[topic.name] != topic.partitions {
            throw FetcherSetupError(reason: "work topic \(topic.name) has \(counts[topic.name] ?? 0) partition(s) but the config asks for \(topic.partitions) slice(s): delete the topic (it holds no data) or use another --group prefix")
        }
        let layout = StateTopicLayout(topic: configuration.stateTopic, units: configuration.allUnits, partitions: counts[configuration.stateTopic] ?? 1)
        if !layout.hasAPartitionPerUnit, configuration.usesTransactions {
            logger.warning("the state topic \(layout.topic) has \(layout.partitions) partition(s) for \(layout.units.count) units: units share partitions, which some brokers (Tansu 0.6) cannot read back reliably with transactions; recreate it with \(layout.units.count) partitions")
        }
        return layout
    }
}

/// Units failed; the message lists each with its reason.
public struct FetcherError: Error, CustomStringConvertible {
    public var failures: [String]

    public var description: String {
        "\(failures.count) unit(s) failed:\n" + failures.map { "  - \($0)" }.joined(separator: "\n")
    }
}

struct FetcherSetupError: Error, CustomStringConvertible {
    var reason: String
    var description: String { reason }
}
