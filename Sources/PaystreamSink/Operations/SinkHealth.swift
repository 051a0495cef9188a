import Synchronization

/// The sink's side of readiness: its store is open and its worker has not failed (a write
/// that fails ends the worker). The worker reports; `/readyz` reads `problem`.
public final class SinkHealth: Sendable {
    private enum State {
        case starting
        case writing
        case failed(String)
        case stopped
    }

    private let state = Mutex(State.starting)

    public init() {}

    /// nil when ready; otherwise why not.
    public var problem: String? {
        switch state.withLock({ $0 }) {
        case .starting: "the store is not open yet"
        case .writing: nil
        case .failed(let reason): "the sink stopped on an error: \(reason)"
        case .stopped: "the sink stopped"
        }
    }

    func storeOpened() { state.withLock { $0 = .writing } }

    func failed(_ error: any Error) { state.withLock { $0 = .failed("\(error)") } }

    func stopped() {
        state.withLock { s in
            if case .failed = s { return }
            s = .stopped
        }
    }
}
