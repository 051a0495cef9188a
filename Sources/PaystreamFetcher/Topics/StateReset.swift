import Logging
import PaystreamConfig
import PaystreamKafka

/// After the cluster lost topics the fetcher created: the resources whose topic was lost
/// sync again from their start, so that the topic holds every record again (a store rebuilt
/// from it must not miss the records from before the loss). When the state topic itself was
/// lost, every checkpoint and cursor went with it and every resource starts over anyway;
/// otherwise those resources' checkpoints are deleted (tombstones on the state topic).
struct StateReset {
    let configuration: FetcherConfiguration
    let layout: StateTopicLayout
    let logger: Logger

    func reset(after lost: TopicsLost) async throws {
        if lost.topics.contains(configuration.stateTopic) {
            logger.warning("the state topic \(configuration.stateTopic) was lost with every unit's checkpoint and every cursor: each resource syncs again from its start (its initial_value, or the whole listing), which also fills its recreated topic again")
            return
        }
        let resources = configuration.resources.filter { lost.topics.contains(configuration.topic(for: $0.name)) }
        guard !resources.isEmpty else { return }
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(client: configuration.kafka), logger: logger)
        do {
            for resource in resources {
                let units = WorkUnit.all([resource])
                // A sliced resource's own record lives beside its slice 0's checkpoints.
                let keys = units.map { ($0.id, layout.partition(for: $0)) } + (units.count > 1 ? [(resource.name, layout.partition(for: units[0]))] : [])
                for (key, partition) in keys {
                    _ = try await producer.sendAndWait(topic: layout.topic, partition: partition, key: Array(key.utf8), value: nil as [UInt8]?)
                }
            }
        } catch {
            await producer.close()
            throw error
        }
        await producer.close()
        logger.warning("the topics of \(resources.map(\.name).joined(separator: ", ")) were lost with their records: their checkpoints and cursors are deleted, so they sync again from their start and fill their topics again")
    }
}
