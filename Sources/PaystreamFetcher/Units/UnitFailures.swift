import Synchronization

/// Units of a `--once` run that could not reach the cluster within the broker timeout: such
/// a unit cannot even record its failure on the state topic, so the run learns of it here
/// and ends with it (exit status 1).
final class UnitFailures: Sendable {
    private let state = Mutex<(reasons: [String], waiter: CheckedContinuation<Void, Never>?)>(([], nil))

    func record(_ unit: WorkUnit, _ reason: String) {
        let waiter = state.withLock { s in
            s.reasons.append("\(unit.id): \(reason)")
            defer { s.waiter = nil }
            return s.waiter
        }
        waiter?.resume()
    }

    var reasons: [String] { state.withLock { $0.reasons } }

    /// Returns once a failure was recorded: every one recorded so far; nil when the calling
    /// task was cancelled first (a stop is not a failure, nor a success). Call from one task
    /// at a time.
    func first() async -> [String]? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let recorded = state.withLock { s in
                    if !s.reasons.isEmpty || Task.isCancelled { return true }
                    s.waiter = continuation
                    return false
                }
                if recorded { continuation.resume() }
            }
        } onCancel: {
            state.withLock { s in
                defer { s.waiter = nil }
                return s.waiter
            }?.resume()
        }
        let recorded = reasons
        return recorded.isEmpty ? nil : recorded
    }
}
