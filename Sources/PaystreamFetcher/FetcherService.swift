import Logging
import PaystreamConfig
import PaystreamKafka
import PaystreamSource
import ServiceLifecycle

/// Syncs every selected resource concurrently, once or on an interval. On SIGTERM/SIGINT
/// the running sync is abandoned cleanly: what was sent is awaited, cursors of unfinished
/// resources stay where they were, and the producer is flushed.
public final class FetcherService: Service {
    private let configuration: FetcherConfiguration
    private let logger: Logger
    private let progress = SyncProgress()

    public init(configuration: FetcherConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    public func run() async throws {
        let admin = try KafkaAdmin(configuration: configuration.kafka, logger: logger)
        let cursors = CursorStateStore(topic: configuration.stateTopic, kafka: configuration.kafka, logger: logger)
        do {
            try await createTopics(admin, extra: [cursors.newTopic])
            admin.close()
        } catch {
            admin.close()
            throw error
        }
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(client: configuration.kafka), logger: logger)
        let client = RESTClient(maximumConnectionsPerHost: max(8, configuration.pageConcurrency * configuration.resources.count))
        let outcome = await Result(catching: {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await self.runSyncs(producer: producer, client: client, cursors: cursors) }
                group.addTask { try await self.reportProgress() }
                try await group.next()
                group.cancelAll()
            }
        })
        await producer.close()
        try? await client.shutdown()
        try outcome.get()
    }

    private func runSyncs(producer: KafkaProducer, client: RESTClient, cursors: CursorStateStore) async throws {
        do {
            try await syncUntilStopped(producer: producer, client: client, cursors: cursors)
        } catch is CancellationError {
            logger.info("stopped on request; unfinished resources keep their cursors")
        }
    }

    private func syncUntilStopped(producer: KafkaProducer, client: RESTClient, cursors: CursorStateStore) async throws {
        try await cancelWhenGracefulShutdown {
            while true {
                let results: [ResourceSyncResult]
                do {
                    results = try await self.syncOnce(producer: producer, client: client, cursors: cursors)
                } catch where !self.configuration.runsOnce && !(error is CancellationError) {
                    // A daemon outlives a broker hiccup: try again at the next interval.
                    self.logger.error("sync could not start: \(error); trying again in \(self.configuration.interval)")
                    try await Task.sleep(for: self.configuration.interval)
                    continue
                }
                let failed = results.filter { !$0.succeeded }
                if Task.isCancelled { return }
                if self.configuration.runsOnce {
                    if !failed.isEmpty { throw FetcherError(failed: failed) }
                    return
                }
                try await Task.sleep(for: self.configuration.interval)
            }
        }
    }

    private func reportProgress() async throws {
        while true {
            try await Task.sleep(for: configuration.progressInterval)
            progress.report(logger)
        }
    }

    /// One sync of every selected resource, concurrently.
    func syncOnce(producer: KafkaProducer, client: RESTClient, cursors: CursorStateStore) async throws -> [ResourceSyncResult] {
        let states = try await cursors.load()
        let syncs = try configuration.resources.map { resource in
            var logger = self.logger
            logger[metadataKey: "paystream.resource"] = "\(resource.name)"
            var reader = try ResourceReader(pipeline: configuration.pipeline, resource: resource, client: client, logger: logger)
            reader.pageConcurrency = configuration.pageConcurrency
            return ResourceSync(
                resource: resource, reader: reader, producer: producer, topic: configuration.topic(for: resource),
                cursors: cursors, storedCursor: states[resource.name], progress: progress, logger: logger
            )
        }
        let results = await withTaskGroup(of: ResourceSyncResult.self) { group in
            for sync in syncs { group.addTask { await sync.run() } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        for result in results.sorted(by: { $0.resource < $1.resource }) {
            log(result)
            FetcherMetrics.syncFinished(result)
        }
        return results
    }

    private func log(_ result: ResourceSyncResult) {
        let seconds = Double(result.duration.components.seconds) + Double(result.duration.components.attoseconds) / 1e18
        let rate = seconds > 0 ? Int(Double(result.records) / seconds) : 0
        var metadata: Logger.Metadata = [
            "paystream.resource": "\(result.resource)", "pages": "\(result.pages)", "records": "\(result.records)",
            "records_per_second": "\(rate)",
        ]
        if let cursor = result.savedCursor { metadata["cursor"] = "\(cursor)" }
        if let error = result.error {
            metadata["error"] = "\(error)"
            logger.error("sync failed; its cursor did not move, the next run reads the same window again", metadata: metadata)
        } else {
            logger.info("sync complete", metadata: metadata)
        }
    }

    private func createTopics(_ admin: KafkaAdmin, extra: [KafkaNewTopic]) async throws {
        let topics = configuration.resources.map {
            KafkaNewTopic(name: configuration.topic(for: $0), partitions: configuration.topicPartitions, configs: ["cleanup.policy": "compact"])
        } + extra
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

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
