import Foundation
import Logging
import PaystreamBasics

/// Logs throughput and lag at a steady interval.
struct ProgressReporter {
    let interval: Duration
    let logger: Logger
    private var last = ContinuousClock.now
    private var lastMessages = 0
    /// When the first batch arrived, for the overall rate in the final report.
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
    mutating func tick(_ totals: SinkTotals, lag: () -> Int64?) {
        guard ContinuousClock.now - last >= interval, totals.messages != lastMessages else { return }
        report(totals, lag: lag(), final: false)
    }

    mutating func report(_ totals: SinkTotals, lag: Int64?, final: Bool) {
        let now = ContinuousClock.now
        let rate = Self.rate(totals.messages - lastMessages, over: now - last)
        var metadata: Logger.Metadata = [
            "messages": "\(totals.messages)", "upserted": "\(totals.upserted)", "deleted": "\(totals.deleted)",
            "dead_lettered": "\(totals.deadLettered)", "messages_per_second": "\(rate)",
        ]
        if let lag { metadata["lag"] = "\(lag)" }
        if final, let firstWrite {
            // From the first batch's arrival: start-up is not part of the write rate.
            let total = now - firstWrite
            metadata["seconds_writing"] = "\(total.secondsText)"
            metadata["messages_per_second"] = "\(Self.rate(totals.messages, over: total))"
        }
        logger.info(final ? "sink finished" : "sink progress", metadata: metadata)
        last = now
        lastMessages = totals.messages
    }

    private static func rate(_ count: Int, over d: Duration) -> Int {
        d.seconds > 0 ? Int(Double(count) / d.seconds) : 0
    }
}
