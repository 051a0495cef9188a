import Dispatch
import Logging
import PaystreamBasics
import PaystreamKafka
import Synchronization

/// Keeps one unit worked on while this fetcher owns it: a runner per claim, and a new
/// claim after Kafka failed (backing off), until the unit is done, let go, or taken over.
struct UnitWorker: Sendable {
    let unit: WorkUnit
    let context: UnitContext

    func run() async {
        var logger = context.logger
        logger[metadataKey: "paystream.unit"] = "\(unit.id)"
        var backoff = Duration.seconds(1)
        while !Task.isCancelled {
            do {
                try await UnitRunner(unit: unit, context: context).run()
                return
            } catch is CancellationError {
                return
            } catch KafkaTransactionError.fenced {
                logger.notice("another fetcher now works on this unit (it fenced this one's transactions); letting go")
                return
            } catch {
                logger.error("unit stopped: \(error); claiming it again in \(backoff)")
                try? await Task.sleep(for: backoff)
                backoff = min(backoff * 2, .seconds(30))
            }
        }
    }
}

/// The workers of the units this fetcher owns, started and stopped as ownership changes.
final class UnitScheduler: Sendable {
    private let context: UnitContext
    private let workers = Mutex<(running: [WorkUnit: Task<Void, Never>], stopping: [Task<Void, Never>])>(([:], []))

    init(context: UnitContext) {
        self.context = context
    }

    var owned: [WorkUnit] { workers.withLock { $0.running.keys.sorted() } }

    func start(_ unit: WorkUnit) {
        let worker = UnitWorker(unit: unit, context: context)
        workers.withLock { w in
            guard w.running[unit] == nil else { return }
            w.running[unit] = Task { await worker.run() }
        }
    }

    /// Cancels the unit's worker: it stops at the next page boundary and commits the pages
    /// it handed on with a checkpoint there (`UnitRunner.runRound`).
    @discardableResult
    func stop(_ unit: WorkUnit) -> Task<Void, Never>? {
        workers.withLock { w in
            guard let worker = w.running.removeValue(forKey: unit) else { return nil }
            worker.cancel()
            w.stopping.append(worker)
            return worker
        }
    }

    /// Stops the units' workers and blocks the calling thread until they finished, or
    /// `timeout` passed; returns whether they finished. For the group's revocation callback:
    /// the units move only after their owner committed where it stopped, so the next owner
    /// finds no aborted transaction of it (whose records Tansu would leave visible). Must not
    /// be called on a thread the workers need (Swift's cooperative pool, their clients' queues).
    func handOver(_ units: [WorkUnit], within timeout: Duration) -> Bool {
        let workers = units.compactMap(stop)
        guard !workers.isEmpty else { return true }
        let finished = DispatchSemaphore(value: 0)
        Task {
            for worker in workers { await worker.value }
            finished.signal()
        }
        return finished.wait(timeout: .now() + timeout.seconds) == .success
    }

    func stopAll() async {
        let all = workers.withLock { w in
            defer { w = ([:], []) }
            return Array(w.running.values) + w.stopping
        }
        all.forEach { $0.cancel() }
        for worker in all { await worker.value }
    }
}
