import PaystreamConfig
import PaystreamKafka
import PaystreamSink
import PaystreamStore
import Testing

@Suite struct SinkConfigurationTests {
    static let pipeline = """
        client: {base_url: "http://x", paginator: single_page}
        resource_defaults: {primary_key: id}
        resources: [customers, {name: refunds, table_name: money_back}]
        """

    @Test(arguments: [(SinkConfiguration.DeleteMode.hard, false), (.soft, true)])
    func theDeleteModeReachesEveryTable(_ mode: SinkConfiguration.DeleteMode, _ marksRows: Bool) throws {
        var configuration = SinkConfiguration(
            pipeline: try ConfigLoader.parse(Self.pipeline, environment: [:]),
            kafka: KafkaClientConfiguration(bootstrapServers: []), databasePath: "unused.sqlite"
        )
        configuration.topicPrefix = "p"
        configuration.deleteMode = mode
        let tables = try configuration.tablesByTopic()
        #expect(tables.mapValues(\.name) == ["p.customers": "customers", "p.refunds": "money_back"])
        #expect(tables.values.allSatisfy { $0.softDelete == marksRows })
    }
}
