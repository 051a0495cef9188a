import Foundation
import Logging
import PaystreamKafka

/// Logs throughput and lag at a steady interval.
struct ProgressReporter {
    let interval: Duration
    let logger: Logger
    private var last = ContinuousClock.now
    private var lastMessages = 0
    /// When the first message was written, for the overall rate in the final report.
    private var firstWrite: ContinuousClock.Instant?

    init(interval: Duration, logger: Logger) {
        self.interval = interval
        self.logger = logger
    }

    /// Called when a batch arrives, before it is written.
    mutating func batchStarted() {
        if firstWrite == nil { firstWrite = .now }
    }

    /// Logs progress once per interval, and only when messages were written since the last
    /// line: an idle sink stays quiet.
    mutating func tick(_ totals: SinkTotals, consumer: KafkaConsumer) {
        guard ContinuousClock.now - last >= interval, totals.messages != lastMessages else { return }
        report(totals, consumer: consumer, final: false)
    }

    mutating func report(_ totals: SinkTotals, consumer: KafkaConsumer?, final: Bool) {
        let now = ContinuousClock.now
        let elapsed = now - last
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let rate = seconds > 0 ? Int(Double(totals.messages - lastMessages) / seconds) : 0
        var metadata: Logger.Metadata = [
            "messages": "\(totals.messages)", "upserted": "\(totals.upserted)", "deleted": "\(totals.deleted)",
            "dead_lettered": "\(totals.deadLettered)", "messages_per_second": "\(rate)",
        ]
        if let consumer, let lag = Self.lag(consumer) { metadata["lag"] = "\(lag)" }
        if final, let firstWrite {
            // From the first batch's arrival: joining the group is not part of the rate.
            let total = now - firstWrite
            let s = Double(total.components.seconds) + Double(total.components.attoseconds) / 1e18
            metadata["seconds_writing"] = "\(String(format: "%.3f", s))"
            metadata["messages_per_second"] = "\(s > 0 ? Int(Double(totals.messages) / s) : 0)"
        }
        logger.info(final ? "sink finished" : "sink progress", metadata: metadata)
        last = now
        lastMessages = totals.messages
    }

    /// Messages on the broker not yet written, over the partitions this member owns.
    private static func lag(_ consumer: KafkaConsumer) -> Int64? {
        guard let assignment = try? consumer.assignment(), !assignment.isEmpty,
              let positions = try? consumer.committed(assignment, timeout: .seconds(1)) else { return nil }
        return assignment.reduce(Int64(0)) { total, tp in
            guard let high = consumer.cachedWatermarks(tp)?.high else { return total }
            return total + max(0, high - (positions[tp] ?? 0))
        }
    }
}
