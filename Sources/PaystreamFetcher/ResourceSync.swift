import Foundation
import Logging
import PaystreamConfig
import PaystreamKafka
import PaystreamSource

/// The outcome of syncing one resource.
public struct ResourceSyncResult: Sendable {
    public var resource: String
    public var pages = 0
    /// Records published and acknowledged by the broker.
    public var records = 0
    public var duration: Duration = .zero
    /// The cursor saved for the next run (incremental resources that completed).
    public var savedCursor: String?
    public var error: (any Error)?

    public var succeeded: Bool { error == nil }
}

/// Publishes one resource: every page's records, in listing order, keyed by primary key
/// (for an incremental resource, those inside its window); waits until the broker
/// acknowledged every one; only then moves the incremental cursor.
struct ResourceSync: Sendable {
    let resource: ResourceConfig
    let reader: ResourceReader
    let producer: KafkaProducer
    let topic: String
    let cursors: CursorStateStore
    let storedCursor: CursorState?
    let progress: SyncProgress
    let logger: Logger

    func run() async -> ResourceSyncResult {
        var result = ResourceSyncResult(resource: resource.name)
        let started = ContinuousClock.now
        let tracker = DeliveryTracker()
        let window = resource.endpoint.incremental.map { IncrementalWindow(config: $0, stored: storedCursor) }
        var cursorTracker = window.map(CursorTracker.init)
        if let window {
            logger.info("incremental window", metadata: [
                "from": "\(window.start?.text ?? "the beginning")", "before": "\(window.end?.text ?? "the run's start")",
            ])
        }
        let contentType = KafkaHeader(name: RecordHeaders.contentType, text: "application/json")
        let resourceHeader = KafkaHeader(name: RecordHeaders.resource, text: resource.name)
        do {
            let summary = try await reader.read(incremental: window?.requestValues) { page, _ in
                let fetchedAt = KafkaHeader(name: RecordHeaders.fetchedAt, text: Date().ISO8601Format())
                var published = 0
                for record in page.records {
                    var headers = [resourceHeader, fetchedAt, contentType]
                    if cursorTracker != nil {
                        let cursor = page.cursor(of: record)
                        guard cursorTracker!.admit(cursor, hash: { page.contentHash(of: record) }) else { continue }
                        if let cursor { headers.append(KafkaHeader(name: RecordHeaders.cursor, text: cursor.text)) }
                    }
                    try await producer.send(topic: topic, key: record.key, value: page.value(of: record), headers: headers, tracker: tracker)
                    published += 1
                }
                progress.add(resource: resource.name, pages: 1, records: published)
                FetcherMetrics.pagePublished(resource: resource.name, records: published)
            }
            result.pages = summary.pages
        } catch {
            result.error = error
        }
        // Even after a failure, wait for what was sent: the caller must know what is durable.
        let summary = await tracker.waitForAll()
        result.records = summary.delivered
        if result.error == nil, !summary.isSuccess {
            result.error = summary.firstErrors.first
        }
        // The cursor moves only when every record of the window is on the broker.
        if result.error == nil, let state = cursorTracker?.state(records: result.records, completedAt: Date().ISO8601Format()) {
            do {
                try await cursors.save(state, for: resource.name, producer: producer)
                result.savedCursor = state.cursor
            } catch {
                result.error = error
            }
        }
        result.duration = ContinuousClock.now - started
        return result
    }
}
