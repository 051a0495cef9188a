import Synchronization

/// SIGTERM's side of the sink: once a stop is requested, reading stops at once, and every
/// wait of the writer (on the broker's acknowledgements, on another process's database lock,
/// on offset commits) gives up at `deadline`. The deadline is half the stop bound after the
/// request: the rest is for closing the clients, the probes' last check and the exit, so
/// that the process ends within the bound whatever the broker is doing.
final class SinkStop: Sendable {
    /// SIGTERM to exit.
    let bound: Duration
    private let requestedAt = Mutex<ContinuousClock.Instant?>(nil)

    init(bound: Duration) {
        self.bound = bound
    }

    func request() {
        requestedAt.withLock { $0 = $0 ?? .now }
    }

    var isRequested: Bool { requested != nil }

    /// When the writer's waits give up; nil while no stop is requested.
    var deadline: ContinuousClock.Instant? { requested.map { $0 + bound / 2 } }

    /// True once a stop was requested and its deadline has passed: waits give up.
    var deadlineHasPassed: Bool { deadline.map { ContinuousClock.now >= $0 } ?? false }

    /// The end of a wait that would otherwise last `timeout`: the earlier of the two once
    /// a stop is requested. (Read when the wait starts; long waits ask `deadlineHasPassed`.)
    func waitEnd(_ timeout: Duration) -> ContinuousClock.Instant {
        let end = ContinuousClock.now + timeout
        return deadline.map { min($0, end) } ?? end
    }

    private var requested: ContinuousClock.Instant? { requestedAt.withLock { $0 } }
}
