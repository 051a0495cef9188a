import Foundation
import Synchronization

/// What a test watches of a running executable.
public protocol ObservedProcess: AnyObject, Sendable {
    var isRunning: Bool { get }
    var stderrSoFar: String { get }
    /// How it ended, e.g. "status 1" or "signal 9"; nil while it runs.
    var exit: String? { get }
}

extension RunningProcess: ObservedProcess {}

/// An executable kept running the way a supervisor (systemd, a container restart policy)
/// would: started again whenever it dies by a signal. An exit with a status is final.
public final class SupervisedProcess: ObservedProcess {
    private struct State {
        var current: RunningProcess
        var earlierLogs = ""
        var restarts = 0
        /// Set by `stop()`: a death after it is not followed by a start.
        var stopping = false
        /// A start after a crash failed: nothing runs any more.
        var gaveUp = false
    }
    private let state: Mutex<State>
    private let supervisor = Mutex<Task<Void, Never>?>(nil)

    public init(_ path: String, _ arguments: [String], environment: [String: String] = [:]) async throws {
        state = Mutex(State(current: try await RunningProcess(path, arguments, environment: environment)))
        // Holds the running process while it waits, never `self`: a supervisor the test
        // dropped goes, and its deinit kills the process.
        let task = Task { [weak self] in
            while let current = self?.state.withLock({ $0.stopping ? nil : $0.current }) {
                let ended = await current.exited()
                guard ended.wasSignaled, let self, !self.state.withLock({ $0.stopping }) else { return }
                let next = try? await RunningProcess(path, arguments, environment: environment)
                let keep = self.state.withLock { s -> Bool in
                    guard let next, !s.stopping else {
                        s.gaveUp = next == nil
                        return false
                    }
                    s.earlierLogs += ended.stderr + "\n[supervisor: signal \(ended.status); started again]\n"
                    s.current = next
                    s.restarts += 1
                    return true
                }
                guard keep else {
                    next?.signal(SIGKILL)
                    return
                }
            }
        }
        supervisor.withLock { $0 = task }
    }

    deinit {
        supervisor.withLock { $0?.cancel() }
        state.withLock { $0.current.signal(SIGKILL) }
    }

    /// How many times it was started again after a crash.
    public var restarts: Int { state.withLock { $0.restarts } }

    /// True also between a crash and the next start.
    public var isRunning: Bool {
        state.withLock { s in
            s.current.isRunning || (s.current.exit?.hasPrefix("signal") == true && !s.stopping && !s.gaveUp)
        }
    }

    public var stderrSoFar: String { state.withLock { $0.earlierLogs + $0.current.stderrSoFar } }

    public var exit: String? { state.withLock { $0.current.exit } }

    /// SIGTERM, then waits for the exit; the result's stderr covers every run.
    public func stop(timeout: Duration = .seconds(30)) async throws -> ProcessResult {
        // Crashed a moment ago: the supervisor is starting it again; stop that run instead.
        while state.withLock({ !$0.current.isRunning && $0.current.exit?.hasPrefix("signal") == true && !$0.gaveUp }) {
            try await Task.sleep(for: .milliseconds(20))
        }
        let current = state.withLock { s in
            s.stopping = true
            return s.current
        }
        current.signal(SIGTERM)
        var result = try await current.result(timeout: timeout)
        await supervisor.withLock { $0 }?.value
        result.stderr = state.withLock { $0.earlierLogs } + result.stderr
        return result
    }
}
