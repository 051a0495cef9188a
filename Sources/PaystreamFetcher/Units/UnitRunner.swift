import Foundation
import Logging
import PaystreamConfig
import PaystreamKafka
import PaystreamSource

/// Works on one unit while this fetcher owns it: claims it, reads its checkpoint, and runs
/// (or resumes) its rounds as the schedule says, each page's records committed with a
/// checkpoint (`UnitRunner+Round.swift`). One runner per claim: after a failure the worker
/// starts a new one, which claims the unit again.
final class UnitRunner {
    let unit: WorkUnit
    let resource: ResourceConfig
    let context: UnitContext
    /// Why the worker is being stopped, once it is.
    let stop: StopRequest
    let reader: ResourceReader
    let session: any PublishSession
    let topic: String
    /// The state topic's partition this unit writes to.
    let statePartition: Int32
    let logger: Logger
    /// The unit's last committed checkpoint.
    var checkpoint: UnitCheckpoint?
    /// Record versions found visible after the last checkpoint (`LeakedRecordScan`).
    var alreadyVisible: Set<UInt64> = []
    /// Whether this claim committed anything yet: failures after a commit are not in a row.
    private(set) var hasCommitted = false
    /// While `alreadyVisible` is not empty, checkpoints keep the scan's start, so that a
    /// later owner finds those versions too, until the round is complete.
    var frozenScanFrom: [Int32: Int64]?

    init(unit: WorkUnit, context: UnitContext, stop: StopRequest) throws {
        let configuration = context.configuration
        guard let resource = configuration.resource(named: unit.resource) else {
            throw StateTopicError(reason: "unit \(unit) names a resource that is not in the config")
        }
        self.unit = unit
        self.resource = resource
        self.context = context
        self.stop = stop
        var logger = context.logger
        logger[metadataKey: "paystream.resource"] = "\(resource.name)"
        if unit.isSlice { logger[metadataKey: "paystream.unit"] = "\(unit.id)" }
        self.logger = logger
        var reader = try ResourceReader(pipeline: configuration.pipeline, resource: resource, client: context.client, logger: logger)
        reader.pageConcurrency = configuration.pageConcurrency
        self.reader = reader
        topic = configuration.topic(for: resource.name)
        statePartition = context.stateLayout.partition(for: unit)
        if let producer = context.sharedProducer {
            session = try AtLeastOnceSession(producer: producer)
        } else {
            session = try TransactionalSession(transactionalID: configuration.transactionalID(for: unit), configuration: configuration, logger: logger)
        }
    }

    /// Works on the unit until cancelled or, with `--once`, until its target is decided.
    func run() async throws {
        do {
            try await work()
        } catch {
            await session.close()
            throw error
        }
        await session.close()
    }

    private func work() async throws {
        try await claim()
        while true {
            try Task.checkCancellation()
            switch context.schedule.decide(unit: unit, checkpoint, endedAgo: secondsSinceLastWrite) {
            case .resume:
                try await runRound(resuming: checkpoint!)
            case .startNext:
                guard let round = try await nextRound() else {
                    // A slice waits for the round's window (slice 0 pins it) or for the other slices.
                    try await Task.sleep(for: .milliseconds(200))
                    continue
                }
                try await runRound(round)
            case .wait(let seconds?):
                try await Task.sleep(for: .milliseconds(Int(seconds * 1000) + 1))
            case .wait(nil):
                return
            }
        }
    }

    /// Becomes the unit's only writer and learns where it stands.
    private func claim() async throws {
        let states = context.states
        let claim = Array(#"{"client_id":"\#(context.configuration.kafka.clientID)","claimed_at":"\#(Date().ISO8601Format())"}"#.utf8)
        let offset = try await session.claim(state: context.stateLayout, partition: statePartition, key: unit.id + StateTopicReader.claimSuffix, value: claim)
        logger.debug("claimed the unit at state partition \(statePartition) offset \(offset)")
        try await states.waitUntilRead(partition: statePartition, past: offset)
        checkpoint = states.checkpoint(unit.id)
        logger.debug("the unit's checkpoint: round \(checkpoint?.round ?? 0), run \(checkpoint?.run ?? 0), \(checkpoint?.status.rawValue ?? "none")")
        guard session.isTransactional else { return }
        guard checkpoint?.scanFrom != nil else {
            // Before the unit's first records: where records of any transaction of it start.
            // Nothing of it can lie past them yet, so there is nothing to look for.
            var first = checkpoint ?? UnitCheckpoint(round: 0, run: 0, status: .completed, updatedAt: Date().ISO8601Format())
            first.scanFrom = try await LeakedRecordScan.endOffsets(topic: topic, kafka: context.configuration.kafka, logger: logger)
            try await commit(first)
            return
        }
        try await findAlreadyVisible()
    }

    /// Reads what an unfinished transaction of an earlier owner (or of this one) left
    /// visible after the last checkpoint; those versions are not published again.
    func findAlreadyVisible() async throws {
        guard session.isTransactional else { return }
        let from = frozenScanFrom ?? checkpoint?.scanFrom ?? [:]
        alreadyVisible = try await LeakedRecordScan.versions(
            topic: topic, from: from, identifier: reader.recordIdentifier, kafka: context.configuration.kafka, logger: logger
        )
        frozenScanFrom = alreadyVisible.isEmpty ? nil : from
        if !alreadyVisible.isEmpty {
            logger.notice("\(alreadyVisible.count) record version(s) are already visible on \(topic) past the unit's last checkpoint (a transaction that was never committed, on a broker that shows aborted records); they are not published again")
        }
    }

    /// Commits `checkpoint` with the records sent since the last commit.
    func commit(_ new: UnitCheckpoint, _ bound: CommitBound? = nil) async throws {
        let bound = bound ?? .regular(stop, handOver: context.configuration.handOverTimeout)
        var committed = new
        let frozen = frozenScanFrom
        try await session.commit(topic: topic, state: context.stateLayout, partition: statePartition, bound) { offsets in
            committed.updatedAt = Date().ISO8601Format()
            if self.session.isTransactional {
                var scanFrom = committed.scanFrom ?? [:]
                scanFrom.merge(offsets) { max($0, $1) }
                committed.scanFrom = frozen ?? scanFrom
            }
            return (self.unit.id, try committed.encoded())
        }
        checkpoint = committed
        hasCommitted = true
        context.health.cleared(unit.id)
    }

    private var secondsSinceLastWrite: Double {
        guard let text = checkpoint?.updatedAt, let written = try? Date.ISO8601FormatStyle().parse(text) else { return .infinity }
        return Date().timeIntervalSince(written)
    }
}
