import Synchronization

/// What `/readyz` answers. Ready when every registered check passes.
///
/// A check only reads state that something else keeps current (a background connectivity
/// check, the sink's worker): a probe must answer at once, never wait on the broker.
public final class Readiness: Sendable {
    /// Returns nil when the condition holds, or why it does not.
    public typealias Check = @Sendable () -> String?

    private let checks = Mutex<[(name: String, check: Check)]>([])

    public init() {}

    public func add(_ name: String, _ check: @escaping Check) {
        checks.withLock { $0.append((name, check)) }
    }

    /// Each failing check's name and reason; empty when ready.
    public func problems() -> [(name: String, reason: String)] {
        checks.withLock { $0 }.compactMap { entry in entry.check().map { (entry.name, $0) } }
    }
}
