import PaystreamKafka

/// How long a commit may wait for the broker's acknowledgements, and what a stop of the
/// worker does to a commit under way.
enum CommitBound {
    /// A checkpoint along the way: within the broker timeout. A worker stopped meanwhile
    /// still finishes it, within the hand-over bound, when it hands the unit over (the pages
    /// it sent commit, as at a page boundary); it gives up at once when it abandons the unit.
    case regular(StopRequest, handOver: Duration)
    /// The last commit of a worker that is being stopped (its task is cancelled already):
    /// within this bound, whatever the cancellation.
    case handOver(Duration)

    /// When the commit must be done by, starting now.
    func deadline(brokerTimeout: Duration) -> ContinuousClock.Instant {
        switch self {
        case .regular: .now + brokerTimeout
        case .handOver(let bound): .now + bound
        }
    }

    /// Waits until every message `tracker` sent was acknowledged or failed; nil when
    /// `deadline` passed first, or a stop that abandons the unit came.
    func waitForDeliveries(_ tracker: DeliveryTracker, until deadline: ContinuousClock.Instant) async -> DeliveryTracker.Summary? {
        switch self {
        case .handOver:
            return await tracker.waitForAll(timeout: Self.remaining(deadline), givingUpWhenCancelled: false)
        case .regular(let stop, let handOver):
            if let summary = await tracker.waitForAll(timeout: Self.remaining(deadline), givingUpWhenCancelled: true) { return summary }
            guard Task.isCancelled, stop.requested == .handOver else { return nil }
            return await tracker.waitForAll(timeout: min(Self.remaining(deadline), handOver), givingUpWhenCancelled: false)
        }
    }

    /// How long the transaction's commit call itself may block (it cannot be interrupted):
    /// the rest until `deadline`, but never more than a hand-over may take. The records are
    /// acknowledged by then, so the call only ends the transaction, a round trip that takes
    /// milliseconds; a stop that comes during it must still end within its bound.
    func commitCallTimeout(until deadline: ContinuousClock.Instant) -> Duration {
        switch self {
        case .regular(_, let handOver), .handOver(let handOver): min(Self.remaining(deadline), handOver)
        }
    }

    static func remaining(_ deadline: ContinuousClock.Instant) -> Duration {
        max(deadline - .now, .milliseconds(1))
    }
}
