import Logging
import PaystreamConfig
import PaystreamKafka
import PaystreamSource
import ServiceLifecycle

/// Syncs every selected resource concurrently, once or on an interval.
public final class FetcherService: Service {
    private let configuration: FetcherConfiguration
    private let logger: Logger

    public init(configuration: FetcherConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    public func run() async throws {
        let admin = try KafkaAdmin(configuration: configuration.kafka, logger: logger)
        defer { admin.close() }
        try await createTopics(admin)
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(client: configuration.kafka), logger: logger)
        let client = RESTClient()
        do {
            try await runSyncs(producer: producer, client: client)
        } catch {
            await producer.close()
            try? await client.shutdown()
            throw error
        }
        await producer.close()
        try await client.shutdown()
    }

    private func runSyncs(producer: KafkaProducer, client: RESTClient) async throws {
        repeat {
            let results = try await syncOnce(producer: producer, client: client)
            let failed = results.filter { !$0.succeeded }
            if configuration.runsOnce {
                if !failed.isEmpty { throw FetcherError(failed: failed) }
                return
            }
            try await Task.sleep(for: configuration.interval)
        } while !Task.isCancelled
    }

    /// One sync of every selected resource, concurrently.
    func syncOnce(producer: KafkaProducer, client: RESTClient) async throws -> [ResourceSyncResult] {
        let syncs = try configuration.pipeline.selectedResources.map { resource in
            var logger = self.logger
            logger[metadataKey: "paystream.resource"] = "\(resource.name)"
            return ResourceSync(
                resource: resource,
                reader: try ResourceReader(pipeline: configuration.pipeline, resource: resource, client: client, logger: logger),
                producer: producer, topic: configuration.topic(for: resource), logger: logger
            )
        }
        let results = await withTaskGroup(of: ResourceSyncResult.self) { group in
            for sync in syncs { group.addTask { await sync.run() } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        for result in results.sorted(by: { $0.resource < $1.resource }) { log(result) }
        return results
    }

    private func log(_ result: ResourceSyncResult) {
        let seconds = Double(result.duration.components.seconds) + Double(result.duration.components.attoseconds) / 1e18
        let rate = seconds > 0 ? Int(Double(result.records) / seconds) : 0
        var metadata: Logger.Metadata = [
            "paystream.resource": "\(result.resource)", "pages": "\(result.pages)", "records": "\(result.records)",
            "records_per_second": "\(rate)",
        ]
        if let error = result.error {
            metadata["error"] = "\(error)"
            logger.error("sync failed; records up to the failure were published, nothing after it", metadata: metadata)
        } else {
            logger.info("sync complete", metadata: metadata)
        }
    }

    private func createTopics(_ admin: KafkaAdmin) async throws {
        let topics = configuration.pipeline.selectedResources.map {
            KafkaNewTopic(name: configuration.topic(for: $0), partitions: configuration.topicPartitions, configs: ["cleanup.policy": "compact"])
        }
        let created = try await admin.createTopics(topics)
        if !created.isEmpty { logger.info("created topics: \(created.joined(separator: ", "))") }
    }
}

/// One or more resources failed; the message lists each with its reason.
public struct FetcherError: Error, CustomStringConvertible {
    public var failed: [ResourceSyncResult]

    public var description: String {
        "\(failed.count) resource(s) failed:\n" + failed.map { "  - \($0.error.map { "\($0)" } ?? $0.resource)" }.joined(separator: "\n")
    }
}
