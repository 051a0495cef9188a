import Logging
import PaystreamKafka
import PaystreamMessageFormat
import PaystreamSource

/// What a unit's new owner must not publish again: the record versions already visible to
/// `read_committed` readers past the unit's last committed checkpoint.
///
/// Apache Kafka hides an aborted transaction's records from `read_committed` readers, so
/// there the scan finds only committed records, which the checkpoint already covers. Tansu
/// 0.6 does not: records of an aborted transaction that reached the broker stay visible,
/// including those of a dead or paused owner whose open transaction the new owner's
/// `initTransactions` ended. Publishing them again would show a reader the same version
/// twice. So after taking over a unit (and after aborting a transaction of its own), the
/// owner reads the resource's topic from the unit's `scanFrom` offsets — no record of a
/// transaction begun after the last commit can lie before them — to the end, and skips
/// every version it finds there when it meets it in the listing.
enum LeakedRecordScan {
    static func versions(
        topic: String, from scanFrom: [Int32: Int64], identifier: RecordIdentifier,
        kafka: KafkaClientConfiguration, logger: Logger
    ) async throws -> Set<UInt64> {
        var configuration = KafkaConsumerConfiguration(client: kafka, groupID: "paystream-fetcher-scan")
        configuration.readsHeaders = false
        configuration.maximumFetchWait = .milliseconds(20)
        let reader = try KafkaPartitionReader(configuration: configuration, logger: logger)
        let messages = try await reader.run { reader in
            let partitions = try reader.partitions(of: [topic], timeout: kafka.brokerTimeout)
            let ends = try reader.endOffsets(partitions, timeout: kafka.brokerTimeout)
            let starts = Dictionary(uniqueKeysWithValues: partitions.map { p in (p, scanFrom[p.partition].map(KafkaOffset.exact) ?? .beginning) })
            return try reader.read(from: starts, to: ends, timeout: kafka.brokerTimeout)
        }
        var versions = Set<UInt64>()
        for m in messages {
            guard let key = m.key, let value = m.value, let identity = identifier.identity(key: key, value: value) else { continue }
            versions.insert(identity)
        }
        return versions
    }
}

extension LeakedRecordScan {
    /// Per partition of `topic`, its end now.
    static func endOffsets(topic: String, kafka: KafkaClientConfiguration, logger: Logger) async throws -> [Int32: Int64] {
        let reader = try KafkaPartitionReader(configuration: KafkaConsumerConfiguration(client: kafka, groupID: "paystream-fetcher-scan"), logger: logger)
        return try await reader.run { reader in
            let ends = try reader.endOffsets(reader.partitions(of: [topic], timeout: kafka.brokerTimeout), timeout: kafka.brokerTimeout)
            return Dictionary(uniqueKeysWithValues: ends.map { ($0.key.partition, $0.value) })
        }
    }
}
