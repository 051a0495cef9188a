import Dispatch
import Synchronization

/// Runs async work from a plain (non-pool) thread and blocks that thread until it is done.
func blockingWait<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> T {
    let done = DispatchSemaphore(value: 0)
    let result = Mutex<T?>(nil)
    Task {
        let value = await body()
        result.withLock { $0 = value }
        done.signal()
    }
    done.wait()
    // Set before `done` was signalled.
    guard let value = result.withLock({ $0 }) else { preconditionFailure("blockingWait: signalled without a result") }
    return value
}
