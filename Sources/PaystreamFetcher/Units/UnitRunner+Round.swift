import Foundation
import Logging
import PaystreamBasics
import PaystreamConfig
import PaystreamKafka
import PaystreamMessageFormat
import PaystreamSource

extension UnitRunner {
    /// The first checkpoint of the unit's next round, with its window pinned; nil while a
    /// slice must wait (for slice 0 to pin the round, or for the other slices to finish).
    func nextRound() async throws -> UnitCheckpoint? {
        let now = Date()
        guard unit.isSlice, let incremental = resource.endpoint.incremental else {
            return NextRound.unsliced(after: checkpoint, incremental: resource.endpoint.incremental, now: now)
        }
        let step = NextRound.slice(
            unit, after: checkpoint?.round ?? 0, record: context.states.checkpoint(resource.name), checkpoint: context.states.checkpoint,
            incremental: incremental, now: now
        )
        let round: Int, window: IncrementalWindow
        switch step {
        case .wait:
            return nil
        case .run(let pinnedRound, let pinnedWindow):
            (round, window) = (pinnedRound, pinnedWindow)
        case .pin(let pin):
            try await session.commit(topic: topic, state: context.stateLayout, partition: statePartition, .regular(stop, handOver: context.configuration.handOverTimeout)) { _ in (resource.name, try pin.encoded()) }
            logger.info("pinned round \(pin.round) of \(unit.slices) slices", metadata: windowMetadata(pin.window))
            (round, window) = (pin.round, pin.window!)
        }
        guard let part = window.slice(unit.slice, of: unit.slices) else {
            throw SliceError(resource: resource.name, window: window)
        }
        var next = NextRound.unsliced(after: checkpoint, incremental: nil, now: now)
        next.round = round
        next.window = part
        next.saved = nil
        return next
    }

    func runRound(resuming checkpoint: UnitCheckpoint) async throws {
        var next = checkpoint
        next.run += 1
        next.status = .running
        next.error = nil
        try await runRound(next)
    }

    /// Reads the round's listing from its position and publishes every page's records,
    /// committing them with a checkpoint every `checkpointInterval` or `checkpointRecords`;
    /// the last commit marks the round completed (or failed, with the reason).
    func runRound(_ start: UnitCheckpoint) async throws {
        var round = start
        var cursors = round.window.map { CursorTracker(window: $0, progress: round.progress) }
        if round.position == nil { logger.info("round \(round.round) begins", metadata: windowMetadata(round.window)) }
        let configuration = context.configuration
        let started = ContinuousClock.now
        var pages = 0
        var lastCommit = ContinuousClock.now
        var sinceCommit = 0
        var pagesSinceCommit = 0
        /// Inside a page: some of its records may be sent, and `round` is not past it yet.
        var midPage = false
        let contentType = KafkaHeader(name: MessageHeaders.contentType, text: "application/json")
        let resourceHeader = KafkaHeader(name: MessageHeaders.resource, text: resource.name)
        do {
            try await reader.read(from: round.position, incremental: round.window?.requestValues) { page, position in
                // The unit may have moved to another member: stop at the next page.
                try Task.checkCancellation()
                midPage = true
                let fetchedAt = KafkaHeader(name: MessageHeaders.fetchedAt, text: Date().ISO8601Format())
                var published = 0
                for record in page.records {
                    var headers = [resourceHeader, fetchedAt, contentType]
                    if cursors != nil {
                        let cursor = page.cursor(of: record)
                        guard cursors!.admit(cursor, hash: { page.contentHash(of: record) }) else { continue }
                        if let cursor { headers.append(KafkaHeader(name: MessageHeaders.cursor, text: cursor.text)) }
                    }
                    published += 1
                    if !alreadyVisible.isEmpty, alreadyVisible.contains(page.identity(of: record)) { continue }
                    try await session.send(topic: topic, key: record.key, value: page.value(of: record), headers: headers)
                }
                pages += 1
                pagesSinceCommit += 1
                round.position = position
                round.published += published
                round.progress = cursors?.progress
                context.progress.add(resource: resource.name, pages: 1, records: published)
                FetcherMetrics.pagePublished(resource: resource.name, records: published)
                sinceCommit += published
                if sinceCommit >= configuration.checkpointRecords || ContinuousClock.now - lastCommit >= configuration.checkpointInterval {
                    try await commit(round)
                    round.scanFrom = checkpoint?.scanFrom
                    sinceCommit = 0
                    pagesSinceCommit = 0
                    lastCommit = .now
                }
                midPage = false
            }
        } catch where Task.isCancelled {
            // Stopped (the unit moves to another member, or the fetcher stops) at a page
            // boundary: the pages handed on commit with a checkpoint there, so the next owner
            // resumes after them and finds no aborted transaction. (A request cut short is no
            // failure of the API.) Within a bound: what cannot commit by then is aborted, as
            // when stopped inside a page, or when others own the unit already.
            if !midPage, stop.requested == .handOver {
                do {
                    if pagesSinceCommit > 0 { try await commit(round, .handOver(configuration.handOverTimeout)) }
                    logger.info("handed over at a page boundary: committed the \(pagesSinceCommit) page(s) sent since the last checkpoint")
                } catch {
                    logger.warning("could not commit the \(pagesSinceCommit) page(s) sent since the last checkpoint when handing over (\(error)); they are aborted, and the next owner reads them again")
                    throw error
                }
            }
            throw CancellationError()
        } catch where Self.isSourceFailure(error) {
            // The pages handed on so far are complete: they commit, with the reason.
            round.status = .failed
            round.error = "\(error)"
            try await commit(round)
            log(round, pages: pages, since: started)
            return
        }
        round.status = .completed
        round.position = .finished
        round.error = nil
        if !unit.isSlice, let state = cursors?.state(records: round.published, completedAt: Date().ISO8601Format()) {
            round.saved = state
        }
        // The listing was read to its end: versions found visible are behind it now.
        frozenScanFrom = nil
        alreadyVisible = []
        try await commit(round)
        log(round, pages: pages, since: started)
    }

    /// A failure of the API or of the listing, which fails the round; Kafka's failures and
    /// cancellation are the worker's to handle (a new claim, or letting go). A failed round
    /// commits its pages, so nothing of Kafka may be taken for the API's: a commit that did
    /// not finish would then be followed by one that moves the checkpoint past records the
    /// broker never acknowledged.
    static func isSourceFailure(_ error: any Error) -> Bool {
        !(UnitWorker.isKafkaFailure(error) || error is CancellationError)
    }

    private func windowMetadata(_ window: IncrementalWindow?) -> Logger.Metadata {
        guard let window else { return [:] }
        return ["from": "\(window.start?.text ?? "the beginning")", "before": "\(window.end?.text ?? "the run's start")"]
    }

    private func log(_ round: UnitCheckpoint, pages: Int, since started: ContinuousClock.Instant) {
        let seconds = (ContinuousClock.now - started).seconds
        var metadata: Logger.Metadata = [
            "round": "\(round.round)", "pages": "\(pages)", "records": "\(round.published)",
            "records_per_second": "\(seconds > 0 ? Int(Double(round.published) / seconds) : 0)",
        ]
        if let cursor = round.saved?.cursor, round.status == .completed { metadata["cursor"] = "\(cursor)" }
        FetcherMetrics.syncFinished(resource: resource.name, succeeded: round.error == nil)
        if let error = round.error {
            metadata["error"] = "\(error)"
            logger.error("sync failed; its cursor did not move, the next run reads the same window again", metadata: metadata)
        } else {
            logger.info("sync complete", metadata: metadata)
        }
    }
}

/// A sliced resource's window cannot be split (its cursor is not a time).
struct SliceError: Error, CustomStringConvertible {
    var resource: String
    var window: IncrementalWindow

    var description: String {
        "resource \(resource): cannot split the window from \(window.start?.text ?? "the beginning") before \(window.end?.text ?? "no end") into slices: slices need a cursor that is a time (RFC 3339, epoch seconds or milliseconds) and an initial_value"
    }
}
