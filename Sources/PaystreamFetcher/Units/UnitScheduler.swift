import Dispatch
import PaystreamBasics
import Synchronization

/// The workers of the units this fetcher owns, started and stopped as ownership changes.
final class UnitScheduler: Sendable {
    private let context: UnitContext
    /// Workers by unit, and the stopping ones by a number of their own, until they end.
    private let workers = Mutex<(running: [WorkUnit: Worker], stopping: [Int: Task<Void, Never>], started: Int)>(([:], [:], 0))

    private struct Worker {
        let number: Int
        let task: Task<Void, Never>
        let stop: StopRequest
    }

    init(context: UnitContext) {
        self.context = context
    }

    var owned: [WorkUnit] { workers.withLock { $0.running.keys.sorted() } }

    func start(_ unit: WorkUnit) {
        let stop = StopRequest()
        let worker = UnitWorker(unit: unit, context: context, stop: stop)
        workers.withLock { w in
            guard w.running[unit] == nil else { return }
            w.started += 1
            let number = w.started
            let task = Task { [weak self] in
                await worker.run()
                // A worker that was stopped is forgotten once it ended.
                self?.workers.withLock { _ = $0.stopping.removeValue(forKey: number) }
            }
            w.running[unit] = Worker(number: number, task: task, stop: stop)
        }
    }

    /// Cancels the unit's worker for `reason`: handing over, it stops at the next page
    /// boundary and commits the pages it handed on with a checkpoint there
    /// (`UnitRunner.runRound`); abandoning, it commits nothing.
    @discardableResult
    func stop(_ unit: WorkUnit, _ reason: StopRequest.Reason) -> Task<Void, Never>? {
        // What it failed at is no longer this member's to report.
        context.health.cleared(unit.id)
        return workers.withLock { w in
            guard let worker = w.running.removeValue(forKey: unit) else { return nil }
            worker.stop.request(reason)
            worker.task.cancel()
            w.stopping[worker.number] = worker.task
            return worker.task
        }
    }

    /// Stops the units' workers and blocks the calling thread until they finished, or
    /// `timeout` passed; returns whether they finished. For the group's revocation callback:
    /// the units move only after their owner committed where it stopped, so the next owner
    /// finds no aborted transaction of it (whose records Tansu would leave visible). Each
    /// worker bounds its own commit (`handOverTimeout`), so this wait ends well within
    /// `timeout`. Must not be called on a thread the workers need (Swift's cooperative pool,
    /// their clients' queues).
    func handOver(_ units: [WorkUnit], within timeout: Duration) -> Bool {
        let workers = units.compactMap { stop($0, .handOver) }
        guard !workers.isEmpty else { return true }
        let finished = DispatchSemaphore(value: 0)
        Task {
            for worker in workers { await worker.value }
            finished.signal()
        }
        return finished.wait(timeout: .now() + timeout.seconds) == .success
    }

    /// Stops the units' workers without waiting: others own the units already.
    func abandon(_ units: [WorkUnit]) {
        for unit in units { stop(unit, .abandon) }
    }

    /// Stops every worker for `reason` and waits until all finished.
    func stopAll(_ reason: StopRequest.Reason) async {
        let all = workers.withLock { w in
            defer { (w.running, w.stopping) = ([:], [:]) }
            w.running.values.forEach { $0.stop.request(reason) }
            return w.running.values.map(\.task) + w.stopping.values
        }
        all.forEach { $0.cancel() }
        for worker in all { await worker.value }
    }
}
