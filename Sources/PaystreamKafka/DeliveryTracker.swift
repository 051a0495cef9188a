import PaystreamMessageFormat
import Synchronization

/// Counts the broker's acknowledgements for a group of produced messages, so a caller can
/// wait until every message it sent is durable (or learn which failed) before it moves a
/// cursor past them. One tracker per unit of work, e.g. one resource's sync.
public final class DeliveryTracker: Sendable {
    public struct Summary: Sendable {
        public var delivered: Int
        public var failed: Int
        /// The first few failures, enough to explain what went wrong.
        public var firstErrors: [KafkaError]
        /// Every report, only when the tracker was created with `keepsReports`.
        public var reports: [KafkaDeliveryReport]
        /// Per partition, the offset after the last message delivered there, only when the
        /// tracker was created with `tracksOffsets`.
        public var nextOffsets: [KafkaTopicPartition: Int64] = [:]
    }

    private struct State {
        var pending = 0
        var summary = Summary(delivered: 0, failed: 0, firstErrors: [], reports: [])
        var waiters: [CheckedContinuation<Summary, Never>] = []
    }

    private let state = Mutex(State())
    private let keepsReports: Bool
    private let tracksOffsets: Bool

    public init(keepsReports: Bool = false, tracksOffsets: Bool = false) {
        self.keepsReports = keepsReports
        self.tracksOffsets = tracksOffsets
    }

    func willSend() {
        state.withLock { $0.pending += 1 }
    }

    /// The producer could not even queue the message.
    func didNotSend() {
        complete(nil)
    }

    func didDeliver(_ report: KafkaDeliveryReport) {
        complete(report)
    }

    private func complete(_ report: KafkaDeliveryReport?) {
        let resumed: (waiters: [CheckedContinuation<Summary, Never>], summary: Summary)? = state.withLock { s in
            s.pending -= 1
            if let report {
                if let error = report.error {
                    s.summary.failed += 1
                    if s.summary.firstErrors.count < 5 { s.summary.firstErrors.append(error) }
                } else {
                    s.summary.delivered += 1
                    if tracksOffsets {
                        let tp = KafkaTopicPartition(topic: report.topic, partition: report.partition)
                        s.summary.nextOffsets[tp] = max(s.summary.nextOffsets[tp] ?? 0, report.offset + 1)
                    }
                }
                if keepsReports { s.summary.reports.append(report) }
            }
            guard s.pending == 0, !s.waiters.isEmpty else { return nil }
            defer { s.waiters = [] }
            return (s.waiters, s.summary)
        }
        resumed?.waiters.forEach { $0.resume(returning: resumed!.summary) }
    }

    /// Waits until every message sent so far was acknowledged or failed.
    public func waitForAll() async -> Summary {
        await withCheckedContinuation { continuation in
            let ready: Summary? = state.withLock { s in
                if s.pending == 0 { return s.summary }
                s.waiters.append(continuation)
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
