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
    public var error: (any Error)?

    public var succeeded: Bool { error == nil }
}

/// Publishes one resource: every page's records, in order, keyed by primary key; then
/// waits until the broker acknowledged every one of them.
struct ResourceSync: Sendable {
    let resource: ResourceConfig
    let reader: ResourceReader
    let producer: KafkaProducer
    let topic: String
    let logger: Logger

    func run() async -> ResourceSyncResult {
        var result = ResourceSyncResult(resource: resource.name)
        let started = ContinuousClock.now
        let tracker = DeliveryTracker()
        let contentType = KafkaHeader(name: RecordHeaders.contentType, text: "application/json")
        let resourceHeader = KafkaHeader(name: RecordHeaders.resource, text: resource.name)
        do {
            result.pages = try await reader.read { page in
                let fetchedAt = KafkaHeader(name: RecordHeaders.fetchedAt, text: Date().ISO8601Format(.iso8601.time(includingFractionalSeconds: true).year().month().day().dateTimeSeparator(.standard)))
                for record in page.records {
                    var headers = [resourceHeader, fetchedAt, contentType]
                    if let cursor = record.cursor { headers.append(KafkaHeader(name: RecordHeaders.cursor, text: cursor)) }
                    try await producer.send(topic: topic, key: record.key, value: page.value(of: record), headers: headers, tracker: tracker)
                }
            }
        } catch {
            result.error = error
        }
        // Even after a failure, wait for what was sent: the caller must know what is durable.
        let summary = await tracker.waitForAll()
        result.records = summary.delivered
        if result.error == nil, !summary.isSuccess {
            result.error = summary.firstErrors.first
        }
        result.duration = ContinuousClock.now - started
        return result
    }
}
