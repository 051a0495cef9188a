import CRDKafka
import Logging

/// Topic administration. Blocking librdkafka calls run on the client's own queue; the
/// client goes with the last reference to it. Every request is bounded by the client's
/// `brokerTimeout` unless a call says otherwise.
public final class KafkaAdmin: Sendable {
    let handle: RDKafkaHandle
    let brokerTimeout: Duration

    public init(configuration: KafkaClientConfiguration, logger: Logger) throws {
        var properties = configuration.librdkafkaProperties
        properties.merge(configuration.properties) { _, user in user }
        handle = try RDKafkaHandle(kind: .producer, properties: properties, context: RDKafkaCallbackContext(logger: logger))
        brokerTimeout = configuration.brokerTimeout
    }

    /// Creates the topics that do not exist yet; existing ones are left as they are.
    /// Returns the names of the topics it created.
    @discardableResult
    public func createTopics(_ topics: [KafkaNewTopic], timeout: Duration? = nil) async throws -> [String] {
        let handle = self.handle, timeout = timeout ?? brokerTimeout
        return try await handle.executor.run { try RDKafkaAdmin.createTopics(handle.pointer, topics, timeout: timeout) }
    }

    /// Partition counts of the topics that exist.
    public func partitionCounts(_ topics: [String], timeout: Duration? = nil) async throws -> [String: Int] {
        let handle = self.handle, timeout = timeout ?? brokerTimeout
        return try await handle.executor.run { try RDKafkaMetadata.partitionCounts(handle.pointer, topics, timeout: timeout) }
    }

    /// Partition counts and topic ids of the topics that exist; missing topics are absent.
    public func describeTopics(_ topics: [String], timeout: Duration? = nil) async throws -> [String: KafkaTopicDescription] {
        let handle = self.handle, timeout = timeout ?? brokerTimeout
        return try await handle.executor.run { try RDKafkaMetadata.describeTopics(handle.pointer, topics, timeout: timeout, giveUp: { false }) }
    }

    /// Brokers in the cluster, from a metadata request that names no topics: a cheap round
    /// trip that tells whether the cluster answers (readiness), whatever its topic count.
    public func brokerCount(timeout: Duration = .seconds(5)) async throws -> Int {
        let handle = self.handle
        return try await handle.executor.run { try RDKafkaMetadata.brokerCount(handle.pointer, timeout: timeout) }
    }
}
