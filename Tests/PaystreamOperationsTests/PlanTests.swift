import PaystreamConfig
import PaystreamFetcher
import PaystreamKafka
import PaystreamSink
import Testing

@Suite struct PlanTests {
    static let yaml = """
        client:
          base_url: https://api.example.com
          auth: {type: api_key, name: api_key, api_key: "${API_KEY}", location: query}
        resource_defaults:
          primary_key: id
          endpoint:
            data_selector: data
            paginator: {type: offset, limit: 100}
        resources:
          - name: customers
            endpoint:
              path: /v1/customers
              params: {account: "${ACCOUNT}", expand: all}
              incremental: {cursor_path: updated_at, start_param: updated_since, end_param: updated_before, initial_value: "2024-01-01T00:00:00Z", lag: 5}
          - name: refunds
            table_name: refund_rows
            primary_key: [id, account]
            endpoint: {path: /v1/refunds, paginator: {type: cursor, cursor_path: next_cursor, cursor_param: after}}
        """

    static func pipeline() throws -> PipelineConfig {
        try ConfigLoader.parse(yaml, environment: ["API_KEY": "sk_live_visible_nowhere", "ACCOUNT": "acct_private_42"])
    }

    @Test func theFetcherPlanNamesWhatEachResourceWillDoAndHidesSubstitutedValues() throws {
        var configuration = FetcherConfiguration(pipeline: try Self.pipeline(), kafka: KafkaClientConfiguration(bootstrapServers: ["kafka:9092"]))
        configuration.topicPrefix = "prod"
        let text = FetcherPlan(configuration: configuration, configPath: "pipeline.yaml", kafkaProperties: ["sasl.password": "***"]).text
        #expect(text.contains("2 of 2 resource(s)"))
        #expect(text.contains("kafka:9092 (not contacted)"))
        #expect(text.contains("sasl.password=***"))
        #expect(text.contains("topics       prod.<resource>, 8 partitions"), "the real prefix: \(text)")
        #expect(text.contains("cursors in prod._paystream_state"))
        #expect(text.contains("topic        prod.customers, key: id"))
        #expect(text.contains("topic        prod.refunds, key: id + account"))
        #expect(text.contains("paginator    offset, limit 100"))
        #expect(text.contains("paginator    cursor from next_cursor, sent as after"))
        #expect(text.contains("incremental  cursor updated_at, start_param updated_since, end_param updated_before, initial_value 2024-01-01T00:00:00Z, lag 5 s"))
        #expect(text.contains("incremental  none"))
        #expect(text.contains("slices"))
        #expect(text.contains("params account=***&expand=all"))
        #expect(!text.contains("sk_live_visible_nowhere") && !text.contains("acct_private_42"))
    }

    @Test func theSinkPlanListsTablesKeysAndCursorColumns() throws {
        var configuration = SinkConfiguration(pipeline: try Self.pipeline(), kafka: KafkaClientConfiguration(bootstrapServers: []), databasePath: "store.sqlite")
        configuration.topicPrefix = "prod"
        let text = try SinkPlan(configuration: configuration, configPath: "pipeline.yaml", kafkaProperties: [:]).text()
        #expect(text.contains("2 topic(s) into store.sqlite"))
        #expect(text.contains("(no --brokers given), group paystream-sink"))
        let rows = text.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
        #expect(rows.contains("prod.customers customers id updated_at"))
        #expect(rows.contains("prod.refunds refund_rows id, account updated_at"))
        #expect(text.contains("dead letters prod.dead-letter"))
    }
}
