import Logging
import PaystreamConfig
import PaystreamMockAPI
import PaystreamSource
import TestSupport

/// Reads one resource in process with `ResourceReader` against the mock API.
enum ReaderFixture {
    static let logger = Logger(label: "test.reader")

    /// A pipeline config with `client` (YAML, indented two spaces) and one customers resource
    /// whose endpoint is `endpoint` (YAML flow mapping body).
    static func config(client: String, endpoint: String, baseURL: String, apiKey: String = "test-key-9f3c") throws -> PipelineConfig {
        let yaml = """
            client:
              base_url: \(baseURL)
            \(client)
            resources:
              - name: customers
                primary_key: id
                endpoint: {path: /v1/customers, data_selector: data, \(endpoint)}
            """
        return try ConfigLoader.parse(yaml, environment: ["KEY": apiKey])
    }

    /// Every record read, as (id, JSON text), in the order they were handed on.
    static func read(_ config: PipelineConfig, concurrency: Int = 4, onPage: (Int) -> Void = { _ in }) async throws -> [(String, String)] {
        let client = RESTClient()
        var reader = try ResourceReader(pipeline: config, resource: config.resources[0], client: client, logger: logger)
        reader.pageConcurrency = concurrency
        var records: [(String, String)] = []
        do {
            var pages = 0
            try await reader.read { page, _ in
                pages += 1
                for r in page.records {
                    records.append((String(decoding: r.key, as: UTF8.self), String(decoding: page.value(of: r), as: UTF8.self)))
                }
                onPage(pages)
            }
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
        return records
    }

    static func current(_ server: MockAPIServer) -> [String: String] {
        Dictionary(uniqueKeysWithValues: server.dataset.currentRecords(.customers).map { ($0.id, String(decoding: $0.json, as: UTF8.self)) })
    }
}
