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
    private let path: String
    private let arguments: [String]
    private let environment: [String: String]
    private struct State {
        var current: RunningProcess
        var earlierLogs = ""
        var restarts = 0
    }
    private let state: Mutex<State>

    public init(_ path: String, _ arguments: [String], environment: [String: String] = [:]) throws {
        self.path = path
        self.arguments = arguments
        self.environment = environment
        state = Mutex(State(current: try RunningProcess(path, arguments, environment: environment)))
    }

    /// How many times it was started again after a crash.
    public var restarts: Int { state.withLock { $0.restarts } }

    public var isRunning: Bool {
        state.withLock { s in
            if s.current.isRunning { return true }
            guard s.current.exit?.hasPrefix("signal") == true,
                  let restarted = try? RunningProcess(path, arguments, environment: environment) else { return false }
            s.earlierLogs += s.current.stderrSoFar + "\n[supervisor: \(s.current.exit!); started again]\n"
            s.current = restarted
            s.restarts += 1
            return true
        }
    }

    public var stderrSoFar: String { state.withLock { $0.earlierLogs + $0.current.stderrSoFar } }

    public var exit: String? { state.withLock { $0.current.exit } }

    /// SIGTERM, then waits for the exit; the result's stderr covers every run.
    public func stop(timeout: Duration = .seconds(30)) async throws -> ProcessResult {
        let (current, earlier) = state.withLock { ($0.current, $0.earlierLogs) }
        current.signal(SIGTERM)
        var result = try await current.result(timeout: timeout)
        result.stderr = earlier + result.stderr
        return result
    }
}
