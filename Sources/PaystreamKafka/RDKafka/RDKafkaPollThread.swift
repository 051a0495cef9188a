import CRDKafka
import Foundation
import Synchronization

/// Serves a producer's callbacks (delivery reports, logs, errors) on a dedicated thread,
/// so `rd_kafka_poll`'s blocking wait never occupies a cooperative-pool thread.
final class RDKafkaPollThread: Sendable {
    private let stopped = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)

    init(name: String, handle: RDKafkaHandle) {
        // The thread holds `self` until it ends, which `stop()` waits for.
        let thread = Thread { [self] in
            while !stopped.load(ordering: .acquiring) {
                rd_kafka_poll(handle.pointer, 100)
            }
            finished.signal()
        }
        thread.name = name
        thread.start()
    }

    func stop() async {
        stopped.store(true, ordering: .releasing)
        let finished = self.finished
        await runOffCooperativePool { finished.wait() }
    }
}

/// Runs a blocking call on a global dispatch queue and resumes the caller with its result,
/// keeping Swift's cooperative threads free.
func runOffCooperativePool<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(returning: body()) }
    }
}

func runOffCooperativePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try body() }) }
    }
}
