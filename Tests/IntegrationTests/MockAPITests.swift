import PaystreamMockAPI
import Testing

/// The mock API itself, where its modes meet.
@Suite struct MockAPITests {
    /// `paystream-mock-api --prerender --creates-per-second N` (a benchmark with live writes):
    /// a created record has version 0 but no prerendered body, and must be rendered instead.
    @Test func aPrerenderedDatasetServesRecordsCreatedAndUpdatedAfterStart() async throws {
        let server = MockAPIServer(
            configuration: .init(port: 0, apiKey: "test-key-9f3c"),
            dataset: MockDataset(seed: 5, recordsPerResource: 50, prerender: true), logger: ReaderFixture.logger
        )
        let port = try await server.start()
        defer { server.stop() }
        for _ in 0..<3 { server.dataset.create(.customers) }
        server.dataset.update(.customers, index: 7)
        let config = try ReaderFixture.config(
            client: PaginatorAndAuthTests.apiKeyAuth, endpoint: "paginator: {type: offset, limit: 100}", baseURL: "http://127.0.0.1:\(port)"
        )
        let records = try await ReaderFixture.read(config)
        #expect(Dictionary(records, uniquingKeysWith: { $1 }) == ReaderFixture.current(server))
        #expect(records.count == 53)
    }
}
