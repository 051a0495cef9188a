import Foundation

/// A Tansu broker of one test's own, started through `ops/broker` on a fixed port so the
/// test can stop it and start it again at the same address (memory storage: it comes back
/// empty). Not the shared test broker, which other tests use at the same time.
public final class PrivateBroker: Sendable {
    private let directory: String
    public let port: Int

    public init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(uniqueName("private-broker")).path
        port = try Self.freePort()
    }

    public var address: String { "127.0.0.1:\(port)" }

    public func start() async throws {
        let result = try await ProcessRunner.run(script, ["start", String(port)], environment: ["PAYSTREAM_BROKER_DIR": directory], timeout: .seconds(60))
        guard result.status == 0 else { throw TestFailure("could not start a private broker on \(port): \(result.stderr)") }
    }

    public func stop() async throws {
        _ = try await ProcessRunner.run(script, ["stop"], environment: ["PAYSTREAM_BROKER_DIR": directory], timeout: .seconds(60))
    }

    private var script: String { ProjectPaths.root.appendingPathComponent("ops/broker").path }

    /// A port the kernel just handed out and released.
    public static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw TestFailure("bind() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
