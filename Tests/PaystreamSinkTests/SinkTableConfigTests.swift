import PaystreamConfig
import PaystreamKafka
import PaystreamSink
import Testing

/// Keys, cursors and table names a store cannot hold as the config asks are config errors
/// (exit status 2), found before the store is opened: never a trap or a raw SQLite error.
@Suite struct SinkTableConfigTests {
    static func tables(_ resources: String) throws -> Void {
        let pipeline = """
            client: {base_url: "http://x", paginator: single_page}
            resource_defaults: {primary_key: id}
            resources: \(resources)
            """
        let configuration = SinkConfiguration(
            pipeline: try ConfigLoader.parse(pipeline, environment: [:]),
            kafka: KafkaClientConfiguration(bootstrapServers: []), databasePath: "unused.sqlite"
        )
        _ = try configuration.tablesByTopic()
    }

    @Test(arguments: [
        ("[{name: a, primary_key: [id, id]}]", "resources[0].primary_key"),
        ("[{name: a, primary_key: [id, ID]}]", "resources[0].primary_key"),
        ("[{name: a, primary_key: _paystream_document}]", "resources[0].primary_key"),
        ("[{name: a, endpoint: {path: a, incremental: {cursor_path: _PAYSTREAM_cursor}}}]", "resources[0].endpoint.incremental.cursor_path"),
        ("[{name: a, endpoint: {path: a, incremental: {cursor_path: ID}}}]", "resources[0].endpoint.incremental.cursor_path"),
        ("[{name: a, table_name: _paystream_offsets}]", "resources[0].table_name"),
        ("[{name: a, table_name: sqlite_master}]", "resources[0].table_name"),
        // One table per resource: two writers of one table would each add its columns.
        ("[{name: a, table_name: t}, {name: b, table_name: T}]", "resources[1].table_name"),
        ("[{name: a}, {name: b, table_name: a}]", "resources[1].table_name"),
    ])
    func aKeyCursorOrTableTheStoreCannotHoldIsAConfigError(_ resources: String, _ location: String) throws {
        #expect {
            try Self.tables(resources)
        } throws: { error in
            (error as? ConfigError)?.path.hasPrefix(location) == true
        }
    }

    @Test func aResourceNotSelectedKeepsItsTableToItself() throws {
        try Self.tables("[{name: a}, {name: b, table_name: a, selected: false}]")
    }

    @Test func theCursorMayBeTheKey() throws {
        try Self.tables("[{name: a, endpoint: {path: a, incremental: {cursor_path: id}}}]")
    }
}
