import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Runs the sink's worker thread as a `Service`: graceful shutdown lets the worker stop
/// polling, write and commit what it has read, and close its clients, within the stop
/// bound (`SinkConfiguration.stopTimeout`). The service group escalates a shutdown that
/// takes longer than `gracefulShutdownLimit` (a second less) to cancellation: then this
/// service returns at once, leaving the worker's threads to the process's exit. Nothing is
/// lost that way: the store commits rows and offsets together, and Kafka hears of offsets
/// only after the store committed them.
public final class SinkService: Service {
    private let worker: SinkWorker
    private let bound: Duration
    private let logger: Logger

    /// Store and worker state for readiness probes.
    public var health: SinkHealth { worker.health }

    public init(configuration: SinkConfiguration, logger: Logger) {
        self.worker = SinkWorker(configuration: configuration, logger: logger)
        bound = configuration.gracefulShutdownLimit
        self.logger = logger
    }

    public func run() async throws {
        let worker = self.worker, outcome = WorkerOutcome(), bound = self.bound
        try await withGracefulShutdownHandler {
            try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                    outcome.await(continuation)
                    Thread {
                        // Named from inside: that is when Foundation names the OS thread (≤ 15 characters).
                        Thread.current.name = "sink.poll"
                        outcome.end(Result { _ = try worker.run() })
                    }.start()
                }
            } onCancel: {
                worker.requestStop()
                outcome.end(.failure(DidNotStop(bound: bound)))
            }
        } onGracefulShutdown: {
            worker.requestStop()
        }
    }

    /// The worker had not finished when the service group gave up on it.
    struct DidNotStop: Error, CustomStringConvertible {
        var bound: Duration
        var description: String {
            "the sink did not finish stopping within \(bound); exiting without it: nothing it had not written "
                + "was committed (to SQLite or Kafka), and what it was writing is read again at the next start"
        }
    }
}

/// The worker's end, or the service's giving up on it, whichever comes first: the
/// continuation is resumed exactly once.
private final class WorkerOutcome: Sendable {
    private struct State {
        var continuation: CheckedContinuation<Void, any Error>?
        var result: Result<Void, any Error>?
        var resumed = false
    }

    private let state = Mutex(State())

    func await(_ continuation: CheckedContinuation<Void, any Error>) {
        let ready = state.withLock { s -> Result<Void, any Error>? in
            guard let result = s.result else {
                s.continuation = continuation
                return nil
            }
            s.resumed = true
            return result
        }
        if let ready { continuation.resume(with: ready) }
    }

    func end(_ result: Result<Void, any Error>) {
        let waiting = state.withLock { s -> CheckedContinuation<Void, any Error>? in
            guard !s.resumed else { return nil }
            guard let continuation = s.continuation else {
                if s.result == nil { s.result = result }
                return nil
            }
            s.resumed = true
            s.continuation = nil
            return continuation
        }
        waiting?.resume(with: result)
    }
}
