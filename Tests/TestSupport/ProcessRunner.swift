import Foundation
import Subprocess
import Synchronization
#if canImport(System)
import System
#else
import SystemPackage
#endif

/// How a process the tests ran ended, and what it printed.
public struct ProcessResult: Sendable {
    public var status: Int32
    /// True when the process ended by a signal (e.g. SIGKILL), with `status` the signal.
    public var wasSignaled: Bool
    public var stdout: String
    public var stderr: String
}

public enum ProcessRunner {
    /// Runs to completion; kills the process and throws when `timeout` passes first.
    public static func run(_ path: String, _ arguments: [String], environment: [String: String] = [:], timeout: Duration = .seconds(120)) async throws -> ProcessResult {
        try await RunningProcess(path, arguments, environment: environment).result(timeout: timeout)
    }
}

/// An executable running as a real process, started and awaited through swift-subprocess,
/// its output captured to files (no pipe can fill up and stall it). Its end is awaited,
/// never polled for.
public final class RunningProcess: Sendable {
    public let pid: Int32
    private let name: String
    private let outputPath: String
    private let errorPath: String
    private let ending: Task<TerminationStatus, any Error>
    private let ended: TerminationBox

    /// Returns once the process is started.
    public init(_ path: String, _ arguments: [String], environment: [String: String] = [:]) async throws {
        name = URL(fileURLWithPath: path).lastPathComponent
        let tmp = FileManager.default.temporaryDirectory
        outputPath = tmp.appendingPathComponent("paystream-test-\(UUID().uuidString).out").path
        errorPath = tmp.appendingPathComponent("paystream-test-\(UUID().uuidString).err").path
        let output = try FileDescriptor.open(FilePath(outputPath), .writeOnly, options: [.create, .truncate], permissions: [.ownerReadWrite])
        let error = try FileDescriptor.open(FilePath(errorPath), .writeOnly, options: [.create, .truncate], permissions: [.ownerReadWrite])
        let overrides = Dictionary(uniqueKeysWithValues: environment.map { (Environment.Key(stringLiteral: $0.key), Optional($0.value)) })
        let (started, start) = AsyncThrowingStream.makeStream(of: Int32.self)
        let ended = TerminationBox()
        self.ended = ended
        ending = Task {
            do {
                let result = try await Subprocess.run(
                    .path(FilePath(path)), arguments: Arguments(arguments), environment: .inherit.updating(overrides), input: .none,
                    output: .fileDescriptor(output, closeAfterSpawningProcess: true), error: .fileDescriptor(error, closeAfterSpawningProcess: true)
                ) { execution in
                    start.yield(execution.processIdentifier.value)
                    start.finish()
                }
                ended.status.withLock { $0 = result.terminationStatus }
                return result.terminationStatus
            } catch {
                // Not started, or its end could not be awaited: either way it counts as ended.
                ended.status.withLock { $0 = $0 ?? .exited(-1) }
                start.finish(throwing: error)
                throw error
            }
        }
        do {
            guard let pid = try await started.first(where: { _ in true }) else { throw TestFailure("\(name) did not start") }
            self.pid = pid
        } catch {
            try? FileManager.default.removeItem(atPath: outputPath)
            try? FileManager.default.removeItem(atPath: errorPath)
            throw error
        }
    }

    /// A test that fails half-way leaves no process behind.
    deinit {
        signal(SIGKILL)
        try? FileManager.default.removeItem(atPath: outputPath)
        try? FileManager.default.removeItem(atPath: errorPath)
    }

    public var isRunning: Bool { ended.status.withLock { $0 == nil } }

    /// Sends `signal` while the process runs. (swift-subprocess reaps the process a moment
    /// before the status is set here; a signal sent in that moment goes to its process id.)
    public func signal(_ signal: Int32) {
        ended.status.withLock { status in
            if status == nil { _ = kill(pid, signal) }
        }
    }

    public var stderrSoFar: String { (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "" }
    public var stdoutSoFar: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }

    /// How the process ended, e.g. "status 1" or "signal 9"; nil while it runs.
    public var exit: String? {
        ended.status.withLock { status in
            switch status {
            case .exited(let code)?: "status \(code)"
            case .signaled(let signal)?: "signal \(signal)"
            case nil: nil
            }
        }
    }

    /// Waits for the process to end.
    public func exited() async -> ProcessResult {
        let status = (try? await ending.value) ?? .exited(-1)
        let (code, wasSignaled): (Int32, Bool) = switch status {
        case .exited(let code): (code, false)
        case .signaled(let signal): (signal, true)
        }
        return ProcessResult(status: code, wasSignaled: wasSignaled, stdout: stdoutSoFar, stderr: stderrSoFar)
    }

    /// Waits for the process to end; kills it and throws when `timeout` passes first.
    public func result(timeout: Duration) async throws -> ProcessResult {
        enum Event: Sendable {
            case exited(ProcessResult)
            case timedOut
            case inTime
        }
        var timedOut = false
        var result: ProcessResult?
        await withTaskGroup(of: Event.self) { group in
            group.addTask { .exited(await self.exited()) }
            group.addTask {
                // Also on cancellation (a test's time limit): a process must not outlive the wait.
                let slept = (try? await Task.sleep(for: timeout)) != nil
                self.signal(SIGKILL)
                return slept ? .timedOut : .inTime
            }
            while let event = await group.next() {
                switch event {
                case .exited(let ended):
                    result = ended
                    group.cancelAll()
                case .timedOut:
                    timedOut = result == nil
                case .inTime:
                    break
                }
            }
        }
        try Task.checkCancellation()
        guard let result else { throw TestFailure("\(name): no result") }
        if timedOut { throw TestFailure("\(name) timed out after \(timeout); stderr:\n\(result.stderr.suffix(4000))") }
        return result
    }
}

/// The termination status, set once by the task that awaits the process.
private final class TerminationBox: Sendable {
    let status = Mutex<TerminationStatus?>(nil)
}
