import Foundation
import Synchronization

/// A Tansu broker of the test process's own, as its child process. Tansu keeps everything
/// in memory, so `restart()` (same port) is how a test gets "every topic was deleted and
/// created again" while clients keep their bootstrap address.
///
/// Started directly rather than through `ops/broker`, so that the test owns the process and
/// can kill and restart it on the same port.
public final class PrivateBroker: Sendable {
    public let address: String
    private let port: Int
    private let process: Mutex<RunningProcess>

    /// Starts a broker on a free port; returns once it serves.
    public init() async throws {
        port = try Self.freePort()
        address = "127.0.0.1:\(port)"
        process = Mutex(try await Self.launch(port: port))
    }

    /// What the broker printed (for failure messages).
    public var log: String { process.withLock { $0.stderrSoFar + $0.stdoutSoFar } }

    /// Stops the broker and starts an empty one on the same port.
    public func restart() async throws {
        await stop()
        try await start()
    }

    /// Starts an empty broker on the same port, after `stop()`.
    public func start() async throws {
        let started = try await Self.launch(port: port)
        process.withLock { $0 = started }
    }

    /// Freezes the broker (SIGSTOP): it answers nothing, as when a network partition or a
    /// stalled machine cuts it off, but keeps every topic for `resume()`.
    public func pause() {
        process.withLock { $0 }.signal(SIGSTOP)
    }

    public func resume() {
        process.withLock { $0 }.signal(SIGCONT)
    }

    public func stop() async {
        let running = process.withLock { $0 }
        running.signal(SIGKILL)
        _ = await running.exited()
    }

    private static func launch(port: Int) async throws -> RunningProcess {
        let tansu = ProjectPaths.root.appendingPathComponent(".cache/tansu/tansu").path
        let url = "tcp://127.0.0.1:\(port)"
        // A port still held by the previous run can refuse the bind for a moment: retry.
        for _ in 0..<20 {
            let process = try await RunningProcess(tansu, ["broker", "--listener-url", url, "--advertised-listener-url", url, "--storage-engine", "memory://tansu/"])
            let deadline = ContinuousClock.now + .seconds(5)
            while process.isRunning, ContinuousClock.now < deadline {
                if canConnect(port: port) { return process }
                try await Task.sleep(for: .milliseconds(50))
            }
            process.signal(SIGKILL)
            _ = await process.exited()
            try await Task.sleep(for: .milliseconds(250))
        }
        throw TestFailure("Tansu did not start on port \(port)")
    }

    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw TestFailure("no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private static func canConnect(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = loopback(port: port)
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }
}

/// Runs `body` with a broker of its own, stopped afterwards.
public func withPrivateBroker<T>(_ body: (PrivateBroker) async throws -> T) async throws -> T {
    let broker = try await PrivateBroker()
    do {
        let result = try await body(broker)
        await broker.stop()
        return result
    } catch {
        await broker.stop()
        throw error
    }
}
