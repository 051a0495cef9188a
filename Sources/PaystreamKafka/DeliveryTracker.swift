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
        /// Waiting callers by ticket; a bounded wait that gives up removes its own.
        var waiters: [Int: CheckedContinuation<Summary?, Never>] = [:]
        /// Bounded waits whose time ran out (or whose task was cancelled) before they began.
        var givenUp: Set<Int> = []
        var nextTicket = 0
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
        let resumed: (waiters: [CheckedContinuation<Summary?, Never>], summary: Summary)? = state.withLock { s in
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
            defer { s.waiters = [:] }
            return (Array(s.waiters.values), s.summary)
        }
        resumed?.waiters.forEach { $0.resume(returning: resumed!.summary) }
    }

    /// Waits until every message sent so far was acknowledged or failed. Bounded by the
    /// producer's message timeout, after which librdkafka fails what is left.
    public func waitForAll() async -> Summary {
        await wait(timeout: nil)!
    }

    /// `waitForAll`, giving up after `timeout` (and, when `givingUpWhenCancelled`, once the
    /// calling task is cancelled): nil then, and the messages stay in flight (purge or abort
    /// them to let go of them).
    public func waitForAll(timeout: Duration, givingUpWhenCancelled: Bool = true) async -> Summary? {
        await wait(timeout: timeout, givingUpWhenCancelled: givingUpWhenCancelled)
    }

    private func wait(timeout: Duration?, givingUpWhenCancelled: Bool = false) async -> Summary? {
        let ticket = state.withLock { s in
            defer { s.nextTicket += 1 }
            return s.nextTicket
        }
        let timer = timeout.map { timeout in
            Task { [weak self] in
                try await Task.sleep(for: timeout)
                self?.giveUp(ticket)
            }
        }
        defer { timer?.cancel() }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ready: Summary?? = state.withLock { s in
                    if s.pending == 0 { return .some(s.summary) }
                    // Given up before the wait began: the timer fired, or the task was cancelled.
                    if s.givenUp.remove(ticket) != nil { return .some(nil) }
                    if givingUpWhenCancelled, Task.isCancelled { return .some(nil) }
                    s.waiters[ticket] = continuation
                    return .none
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            if givingUpWhenCancelled { giveUp(ticket) }
        }
    }

    /// Ends one waiter's wait with nil; one that has not begun waiting yet is ended as it
    /// begins.
    private func giveUp(_ ticket: Int) {
        let waiter: CheckedContinuation<Summary?, Never>? = state.withLock { s in
            guard let waiter = s.waiters.removeValue(forKey: ticket) else {
                s.givenUp.insert(ticket)
                return nil
            }
            return waiter
        }
        waiter?.resume(returning: nil)
    }
}
