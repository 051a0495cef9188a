import Foundation
import Logging
import ServiceLifecycle

/// Runs the sink's worker thread as a `Service`: graceful shutdown lets the worker stop
/// polling, write and commit what it has read, and close its clients.
public final class SinkService: Service {
    private let worker: SinkWorker
    private let logger: Logger

    /// Store and worker state for readiness probes.
    public var health: SinkHealth { worker.health }

    public init(configuration: SinkConfiguration, logger: Logger) {
        self.worker = SinkWorker(configuration: configuration, logger: logger)
        self.logger = logger
    }

    public func run() async throws {
        let worker = self.worker
        try await withGracefulShutdownHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                Thread {
                    // Named from inside: that is when Foundation names the OS thread (≤ 15 characters).
                    Thread.current.name = "sink.poll"
                    continuation.resume(with: Result { _ = try worker.run() })
                }.start()
            }
        } onGracefulShutdown: {
            worker.requestStop()
        }
    }
}
