@testable import PaystreamKafka
import Testing

/// The producer's choices reach librdkafka spelled as it reads them: every case passes
/// librdkafka's own property check (no broker needed).
@Suite struct ProducerConfigurationTests {
    static let client = KafkaClientConfiguration(bootstrapServers: ["127.0.0.1:9092"])

    @Test(arguments: KafkaProducerConfiguration.Compression.allCases)
    func everyCompressionIsACodecLibrdkafkaKnows(_ compression: KafkaProducerConfiguration.Compression) throws {
        var configuration = KafkaProducerConfiguration(client: Self.client)
        configuration.compression = compression
        #expect(configuration.librdkafkaProperties["compression.codec"] == compression.rawValue)
        try RDKafkaConfCheck.validate(configuration.librdkafkaProperties)
    }

    @Test(arguments: KafkaProducerConfiguration.Partitioner.allCases)
    func everyPartitionerIsOneLibrdkafkaKnows(_ partitioner: KafkaProducerConfiguration.Partitioner) throws {
        var configuration = KafkaProducerConfiguration(client: Self.client)
        configuration.partitioner = partitioner
        #expect(configuration.librdkafkaProperties["partitioner"] == partitioner.rawValue)
        try RDKafkaConfCheck.validate(configuration.librdkafkaProperties)
    }

    @Test func theDefaultsAreLZ4AndTheJavaClientsPartitioner() {
        let properties = KafkaProducerConfiguration(client: Self.client).librdkafkaProperties
        #expect(properties["compression.codec"] == "lz4")
        #expect(properties["partitioner"] == "murmur2_random")
    }
}
