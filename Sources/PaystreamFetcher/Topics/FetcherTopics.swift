import Logging
import PaystreamConfig
import PaystreamMessageFormat
import PaystreamKafka

/// The topics one fetcher publishes to and coordinates through, created by the fetcher
/// with the partitions and policy it needs (never left to a broker's defaults): its
/// resources' topics, the state topic (a partition per unit, see `StateTopicLayout`) and,
/// in a group, the work topics (a partition per unit of the resource).
struct FetcherTopics {
    let configuration: FetcherConfiguration
    let records: [KafkaNewTopic]
    let state: KafkaNewTopic
    let workTopics: [KafkaNewTopic]

    init(configuration: FetcherConfiguration) {
        self.configuration = configuration
        records = configuration.resources.map {
            KafkaNewTopic(name: configuration.topic(for: $0.name), partitions: configuration.topicPartitions, configs: ["cleanup.policy": "compact"])
        }
        state = KafkaNewTopic(name: configuration.stateTopic, partitions: configuration.allUnits.count, configs: ["cleanup.policy": "compact"])
        workTopics = configuration.group == nil ? [] : configuration.resources.map {
            KafkaNewTopic(name: configuration.topics.work($0.name), partitions: $0.slices)
        }
    }

    var wanted: [KafkaNewTopic] { records + [state] + workTopics }

    var names: [String] { wanted.map(\.name) }

    /// Creates the topics that are missing and checks those the layout depends on; returns
    /// the state topic's layout and the topics it created.
    func create(with admin: KafkaAdmin, logger: Logger) async throws -> (layout: StateTopicLayout, created: [String]) {
        let created = try await admin.createTopics(wanted)
        if !created.isEmpty { logger.info("created topics: \(created.joined(separator: ", "))") }
        let counts = try await admin.partitionCounts([configuration.stateTopic] + workTopics.map(\.name))
        // A work topic must have one partition per slice: a partition is a unit.
        for topic in workTopics where counts[topic.name] != topic.partitions {
            throw FetcherSetupError(reason: "work topic \(topic.name) has \(counts[topic.name] ?? 0) partition(s) but the config asks for \(topic.partitions) slice(s): delete the topic (it holds no data) or use another --group prefix")
        }
        let layout = StateTopicLayout(topic: configuration.stateTopic, units: configuration.allUnits, partitions: counts[configuration.stateTopic] ?? 1)
        if !layout.hasAPartitionPerUnit, configuration.usesTransactions {
            logger.warning("the state topic \(layout.topic) has \(layout.partitions) partition(s) for \(layout.units.count) units: units share partitions, which some brokers (Tansu 0.6) cannot read back reliably with transactions; recreate it with \(layout.units.count) partitions")
        }
        return (layout, created)
    }
}

struct FetcherSetupError: Error, CustomStringConvertible {
    var reason: String
    var description: String { reason }
}
