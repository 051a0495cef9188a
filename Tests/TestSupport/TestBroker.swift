import Foundation
import PaystreamKafka

/// The Kafka broker the tests run against: `PAYSTREAM_TEST_BROKERS`, which `ops/test` sets
/// to a Tansu broker it starts for the run.
public enum TestBroker {
    public static func address() throws -> String {
        guard let env = ProcessInfo.processInfo.environment["PAYSTREAM_TEST_BROKERS"], !env.isEmpty else {
            throw TestFailure("PAYSTREAM_TEST_BROKERS is not set: run the tests with ops/test, or start a broker with `ops/broker start` and export the address it prints")
        }
        return env
    }

    public static func client() throws -> KafkaClientConfiguration {
        KafkaClientConfiguration(bootstrapServers: [try address()], clientID: "paystream-tests")
    }

    /// A consumer configuration that joins quickly on Tansu (short session timeout), for
    /// this broker or `brokers`.
    public static func consumer(group: String, brokers: String? = nil) throws -> KafkaConsumerConfiguration {
        let client = try brokers.map { KafkaClientConfiguration(bootstrapServers: [$0], clientID: "paystream-tests") } ?? client()
        var configuration = KafkaConsumerConfiguration(client: client, groupID: group)
        configuration.sessionTimeout = .seconds(6)
        return configuration
    }
}

/// A unique name per test, so tests share one broker without seeing each other's data.
public func uniqueName(_ prefix: String) -> String {
    "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
}

public struct TestFailure: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

public enum ProjectPaths {
    /// The package root, found from this file's location.
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Where the built executables are: `PAYSTREAM_BIN_DIR`, or the debug build folder.
    public static func executable(_ name: String) -> String {
        let dir = ProcessInfo.processInfo.environment["PAYSTREAM_BIN_DIR"] ?? root.appendingPathComponent(".build/debug").path
        return dir + "/" + name
    }
}
