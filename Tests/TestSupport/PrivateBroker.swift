import Foundation
import Synchronization

/// A Tansu broker of the test process's own, as its child process. Tansu keeps everything
/// in memory, so `restart()` (same port) is how a test gets "every topic was deleted and
/// created again" while clients keep their bootstrap address.
///
/// Started directly rather than through `ops/broker`: Foundation's `Process` waits for
/// every process that inherited its descriptors, so a daemon started by a script it runs
/// keeps that script "running" until the daemon exits.
public final class PrivateBroker: Sendable {
    public let address: String
    private let port: Int
    private let process: Mutex<RunningProcess>

    /// Starts a broker on a free port; blocks until it serves.
    public init() throws {
        port = try Self.freePort()
        address = "127.0.0.1:\(port)"
        process = Mutex(try Self.launch(port: port))
    }

    /// What the broker printed (for failure messages).
    public var log: String { process.withLock { $0.stderrSoFar + $0.stdoutSoFar } }

    /// Stops the broker and starts an empty one on the same port.
    public func restart() throws {
        stop()
        try start()
    }

    /// Starts an empty broker on the same port, after `stop()`.
    public func start() throws {
        let started = try Self.launch(port: port)
        process.withLock { $0 = started }
    }

    public func stop() {
        let running = process.withLock { $0 }
        running.signal(SIGKILL)
        _ = running.waitUntilExit()
    }

    private static func launch(port: Int) throws -> RunningProcess {
        let tansu = ProjectPaths.root.appendingPathComponent(".cache/tansu/tansu").path
        let url = "tcp://127.0.0.1:\(port)"
        // A port still held by the previous run can refuse the bind for a moment: retry.
        for _ in 0..<20 {
            let process = try RunningProcess(tansu, ["broker", "--listener-url", url, "--advertised-listener-url", url, "--storage-engine", "memory://tansu/"])
            let deadline = ContinuousClock.now + .seconds(5)
            while process.isRunning, ContinuousClock.now < deadline {
                if canConnect(port: port) { return process }
                Thread.sleep(forTimeInterval: 0.05)
            }
            process.signal(SIGKILL)
            _ = process.waitUntilExit()
            Thread.sleep(forTimeInterval: 0.25)
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
    let broker = try PrivateBroker()
    do {
        let result = try await body(broker)
        broker.stop()
        return result
    } catch {
        broker.stop()
        throw error
    }
}
