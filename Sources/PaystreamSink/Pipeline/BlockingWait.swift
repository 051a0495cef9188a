import Dispatch
import Synchronization

/// Runs async work from a plain (non-pool) thread and blocks that thread until it is done,
/// or until `giveUp` says so (asked every 100 ms): then the result is `Abandoned`, and the
/// work, which cannot be taken back (messages already handed to the producer), finishes
/// in the background unheard.
func blockingWait<T: Sendable>(
    giveUp: () -> Bool = { false }, _ body: @escaping @Sendable () async -> Result<T, any Error>
) -> Result<T, any Error> {
    let done = DispatchSemaphore(value: 0)
    let result = Mutex<Result<T, any Error>?>(nil)
    Task {
        let value = await body()
        result.withLock { $0 = value }
        done.signal()
    }
    while done.wait(timeout: .now() + .milliseconds(100)) == .timedOut {
        if giveUp() { return .failure(Abandoned()) }
    }
    return result.withLock { $0 } ?? .failure(Abandoned())
}

/// A wait given up (the sink is stopping) before the work it waited for was done.
struct Abandoned: Error, CustomStringConvertible {
    var description: String { "given up: the sink is stopping" }
}
