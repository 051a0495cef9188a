import Synchronization

/// Why a unit's worker is being stopped, which Swift's task cancellation cannot carry: the
/// runner reads it when the cancellation reaches it, to decide what becomes of the pages it
/// sent since its last commit.
final class StopRequest: Sendable {
    enum Reason: Sendable, Equatable {
        /// The unit moves to another member in an orderly rebalance, or the fetcher stops:
        /// commit the pages sent (within `FetcherConfiguration.handOverTimeout`), so the next
        /// owner resumes after them.
        case handOver
        /// Others own the unit already (this member's group session expired), or the topics
        /// it wrote to are gone: commit nothing, abort the open transaction.
        case abandon
    }

    private let reason = Mutex<Reason?>(nil)

    /// Records the reason; `abandon` wins over `handOver`.
    func request(_ new: Reason) {
        reason.withLock { if $0 != .abandon { $0 = new } }
    }

    var requested: Reason? { reason.withLock { $0 } }
}
