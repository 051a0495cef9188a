import Synchronization

/// Whether the fetcher can publish, for `/readyz`: a unit whose last attempt to reach the
/// cluster failed (a delivery, a transaction, its claim) makes it unready until that unit
/// commits again.
public final class PublishingHealth: Sendable {
    private let failing = Mutex<[String: String]>([:])

    public init() {}

    /// nil while every unit's last attempt went through; otherwise each failing unit's reason.
    public var problem: String? {
        let failing = self.failing.withLock { $0 }
        guard !failing.isEmpty else { return nil }
        return "cannot publish: " + failing.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "; ")
    }

    func failed(_ unit: WorkUnit, _ reason: String) {
        failing.withLock { $0[unit.id] = reason }
    }

    func committed(_ unit: WorkUnit) {
        // Most commits find nothing to clear: a read under the lock, no write.
        failing.withLock { if $0[unit.id] != nil { $0[unit.id] = nil } }
    }
}
