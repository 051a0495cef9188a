import Foundation
import Logging
import PaystreamConfig
import PaystreamFetcher
import PaystreamKafka
import PaystreamStore
import PaystreamMessageFormat

/// Gathers a pipeline's status from the cluster (topic ends, the state topic) and, when
/// given, a store file. Reads only: it joins no group and commits nothing.
///
/// Blocking (librdkafka and SQLite calls): run it on its own thread.
public struct StatusCollector: Sendable {
    let fetcher: FetcherConfiguration
    let databasePath: String?
    let logger: Logger
    /// Each request to the cluster (`--broker-timeout`).
    var timeout: Duration { fetcher.kafka.brokerTimeout }

    public init(pipeline: PipelineConfig, kafka: KafkaClientConfiguration, topicPrefix: String, databasePath: String?, logger: Logger) {
        var fetcher = FetcherConfiguration(pipeline: pipeline, kafka: kafka)
        fetcher.topicPrefix = topicPrefix
        self.fetcher = fetcher
        self.databasePath = databasePath
        self.logger = logger
    }

    public func collect() throws -> PipelineStatus {
        let configuration = KafkaConsumerConfiguration(client: fetcher.kafka, groupID: "paystream-status")
        let reader = try KafkaPartitionReader(configuration: configuration, logger: logger)
        let resources = fetcher.resources
        let topics = resources.map { fetcher.topic(for: $0.name) }
        let counts = try reader.partitionCounts(topics, timeout: timeout)
        let partitions = counts.flatMap { topic, n in (0..<n).map { KafkaTopicPartition(topic: topic, partition: Int32($0)) } }.sorted()
        // End offsets from fetch responses: right on every broker (Tansu 0.6 answers ListOffsets wrongly).
        let ends = try reader.endOffsets(partitions, timeout: timeout)
        let starts = try reader.startOffsets(partitions, timeout: timeout)
        let states = try readStates(reader)

        let resourceStatus = resources.map { resource -> ResourceStatus in
            let topic = fetcher.topic(for: resource.name)
            let own = partitions.filter { $0.topic == topic }
            let state = states[resource.name]
            let units = WorkUnit.all([resource]).map { (id: $0.id, state: states[$0.id]) }
            let completed = CompletedSync(units: units, record: state)
            return ResourceStatus(
                name: resource.name, topic: topic, topicExists: counts[topic] != nil, partitions: own.count,
                messages: own.reduce(0) { $0 + max(0, (ends[$1] ?? 0) - (starts[$1] ?? 0)) },
                cursor: state?["cursor"]?.text, lastCompletedSync: completed?.completedAt,
                lastSyncRecords: completed?.records, lastCompletedRound: completed?.round,
                currentSync: SyncStatus(units: units),
                state: state, slices: units.count > 1 ? Dictionary(uniqueKeysWithValues: units.compactMap { id, state in state.map { (id, $0) } }) : nil
            )
        }
        var status = PipelineStatus(
            brokers: fetcher.kafka.bootstrapServers, topicPrefix: fetcher.topicPrefix, stateTopic: fetcher.stateTopic,
            resources: resourceStatus, store: nil
        )
        if let databasePath {
            status.store = try storeStatus(databasePath, partitions: partitions, starts: starts, ends: ends)
        }
        return status
    }

    /// The newest record per key on the state topic, each decoded as any JSON (unknown
    /// fields kept); a key whose newest record is a tombstone has no state.
    private func readStates(_ reader: KafkaPartitionReader) throws -> [String: JSONValue] {
        var states: [String: JSONValue] = [:]
        for message in try reader.readToEnd([fetcher.stateTopic], timeout: timeout) {
            guard let key = message.key.map({ String(decoding: $0, as: UTF8.self) }) else { continue }
            guard let value = message.value else {
                states[key] = nil
                continue
            }
            do {
                states[key] = try JSONDecoder().decode(JSONValue.self, from: Data(value))
            } catch {
                logger.warning("state for \(key) at \(fetcher.stateTopic) offset \(message.offset) is not JSON; ignored")
            }
        }
        return states
    }

    private func storeStatus(
        _ path: String, partitions: [KafkaTopicPartition], starts: [KafkaTopicPartition: Int64], ends: [KafkaTopicPartition: Int64]
    ) throws -> StoreStatus {
        let stored = try RecordStore.storedOffsets(inFileAt: path)
        let rows = partitions.map { tp -> PartitionStatus in
            let start = starts[tp] ?? 0
            let end = ends[tp] ?? 0
            let offset = stored[tp]
            // A partition the store never wrote is read from its first message.
            let lag = max(0, end - max(offset ?? start, start))
            return PartitionStatus(topic: tp.topic, partition: tp.partition, start: start, end: end, storedOffset: offset, lag: lag)
        }
        return StoreStatus(path: path, lag: rows.reduce(0) { $0 + $1.lag }, partitions: rows)
    }
}
