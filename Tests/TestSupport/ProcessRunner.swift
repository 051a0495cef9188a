import Foundation

/// Runs the project's executables as real processes, output captured to files (no pipe
/// can fill up and stall them).
public struct ProcessResult: Sendable {
    public var status: Int32
    /// True when the process ended by a signal (e.g. SIGKILL), with `status` the signal.
    public var wasSignaled: Bool
    public var stdout: String
    public var stderr: String
}

public enum ProcessRunner {
    public static func runSync(_ path: String, _ arguments: [String], environment: [String: String] = [:]) throws -> ProcessResult {
        let running = try RunningProcess(path, arguments, environment: environment)
        return running.waitUntilExit()
    }

    /// Runs to completion off the cooperative pool.
    public static func run(_ path: String, _ arguments: [String], environment: [String: String] = [:], timeout: Duration = .seconds(120)) async throws -> ProcessResult {
        let running = try RunningProcess(path, arguments, environment: environment)
        return try await running.result(timeout: timeout)
    }
}

public final class RunningProcess: @unchecked Sendable {
    private let process = Process()
    private let outURL: URL
    private let errURL: URL

    public init(_ path: String, _ arguments: [String], environment: [String: String] = [:]) throws {
        let tmp = FileManager.default.temporaryDirectory
        outURL = tmp.appendingPathComponent("paystream-test-\(UUID().uuidString).out")
        errURL = tmp.appendingPathComponent("paystream-test-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        try process.run()
    }

    /// A test that fails half-way leaves no process behind.
    deinit {
        if process.isRunning { signal(SIGKILL) }
    }

    public var pid: Int32 { process.processIdentifier }
    public var isRunning: Bool { process.isRunning }

    public func signal(_ signal: Int32) { kill(process.processIdentifier, signal) }

    public var stderrSoFar: String { (try? String(contentsOf: errURL, encoding: .utf8)) ?? "" }
    /// How the process ended, e.g. "status 1" or "signal 9"; nil while it runs.
    public var exit: String? {
        guard !process.isRunning else { return nil }
        return process.terminationReason == .uncaughtSignal ? "signal \(process.terminationStatus)" : "status \(process.terminationStatus)"
    }

    public var stdoutSoFar: String { (try? String(contentsOf: outURL, encoding: .utf8)) ?? "" }

    public func waitUntilExit() -> ProcessResult {
        process.waitUntilExit()
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        return ProcessResult(
            status: process.terminationStatus, wasSignaled: process.terminationReason == .uncaughtSignal,
            stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
        )
    }

    /// Waits for exit; kills the process and throws when `timeout` passes first.
    public func result(timeout: Duration) async throws -> ProcessResult {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now > deadline {
                signal(SIGKILL)
                let partial = waitUntilExit()
                throw TestFailure("\(process.executableURL!.lastPathComponent) timed out; stderr:\n\(partial.stderr.suffix(4000))")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        return waitUntilExit()
    }
}

/// Runs blocking work (librdkafka consumer calls) on its own thread.
public func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}
