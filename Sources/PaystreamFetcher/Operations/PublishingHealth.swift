import Synchronization

/// Whether the fetcher can publish, for `/readyz`: a unit whose last attempt to reach the
/// cluster failed (a delivery, a transaction, its claim) makes it unready until that unit
/// commits again or leaves this member; so does a failed set-up of the fetcher's topics
/// until a set-up succeeds.
public final class PublishingHealth: Sendable {
    private let failing = Mutex<[String: String]>([:])

    public init() {}

    /// nil while every unit's last attempt went through; otherwise each failing unit's reason.
    public var problem: String? {
        let failing = self.failing.withLock { $0 }
        guard !failing.isEmpty else { return nil }
        return "cannot publish: " + failing.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "; ")
    }

    /// `what`: a unit's id, or `topics` for the set-up.
    func failed(_ what: String, _ reason: String) {
        failing.withLock { $0[what] = reason }
    }

    func cleared(_ what: String) {
        // Most commits find nothing to clear: a read under the lock, no write.
        failing.withLock { if $0[what] != nil { $0[what] = nil } }
    }

    /// The key of the set-up's failure.
    static let topics = "topics"
}
