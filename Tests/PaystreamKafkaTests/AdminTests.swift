import PaystreamKafka
import TestSupport
import Testing

@Suite(.timeLimit(.minutes(1)))
struct AdminTests {
    @Test func createsTopicsOnceWithTheirPartitionCount() async throws {
        let admin = try KafkaAdmin(configuration: try TestBroker.client(), logger: KafkaFixtures.logger)
        let name = uniqueName("admin")
        let topic = KafkaNewTopic(name: name, partitions: 3, configs: ["cleanup.policy": "compact"])
        #expect(try await admin.createTopics([topic]) == [name])
        #expect(try await admin.createTopics([topic]) == [])
        #expect(try await admin.partitionCounts([name]) == [name: 3])
    }

    @Test func unknownPropertyIsAClearError() throws {
        let client = KafkaClientConfiguration(bootstrapServers: ["127.0.0.1:1"], properties: ["no.such.property": "1"])
        let error = #expect(throws: KafkaError.self) {
            _ = try KafkaProducer(configuration: KafkaProducerConfiguration(client: client), logger: KafkaFixtures.logger)
        }
        // The message names the property, so a user knows which line of their config to fix.
        #expect(error.map { "\($0)" }?.contains("no.such.property") == true, "\(String(describing: error))")
    }
}
