import Dispatch

/// The one way Paystream runs librdkafka's blocking calls from async code: each client
/// (producer, consumer, admin) has its own serial queue, and `run` executes a call there as
/// a task executor preference, so a blocking call never occupies a thread of Swift's
/// cooperative pool and the calls of one client never overlap. A producer's delivery reports
/// are served on the same queue when librdkafka signals that some are waiting
/// (`RDKafkaHandle`'s `servesEvents`), so no thread polls in a loop.
final class RDKafkaExecutor: TaskExecutor {
    let queue: DispatchQueue

    init(label: String) {
        queue = DispatchQueue(label: label)
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }

    func asUnownedTaskExecutor() -> UnownedTaskExecutor {
        UnownedTaskExecutor(ordinary: self)
    }

    /// Runs `body` on this client's queue and returns its result to the caller, whose task
    /// waits meanwhile: `body` need not be `Sendable`, it never runs beside the caller.
    func run<T>(_ body: () throws -> T) async throws -> T {
        try await withTaskExecutorPreference(self) { try body() }
    }

    func run<T>(_ body: () -> T) async -> T {
        await withTaskExecutorPreference(self) { body() }
    }
}
