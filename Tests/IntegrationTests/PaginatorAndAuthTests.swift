import Foundation
import PaystreamConfig
import PaystreamMockAPI
import PaystreamSource
import TestSupport
import Testing

/// Every dlt paginator and auth type, configured as a dlt user would, against the mock API:
/// all records read, and not one request more than the listing needs.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct PaginatorAndAuthTests {
    static let apiKeyAuth = "  auth: {type: api_key, name: api_key, api_key: \"${KEY}\", location: query}"

    @Test(arguments: [
        // (paginator, requests expected for 250 records)
        ("paginator: {type: offset, limit: 100}", 3),
        ("paginator: {type: offset, limit: 100, total_path: null, has_more_path: has_more}", 3),
        ("paginator: {type: offset, limit: 50, total_path: null}", 6),
        ("params: {limit: 100}, paginator: {type: page_number, base_page: 1, total_path: total_pages}", 3),
        // `total` counts records, not pages: the empty fourth page ends the listing.
        ("params: {limit: 100}, paginator: {type: page_number, base_page: 1}", 4),
        ("params: {limit: 100}, paginator: {type: cursor, cursor_path: next_cursor, cursor_param: cursor}", 3),
        ("params: {limit: 100}, paginator: {type: json_link, next_url_path: next_url}", 3),
        ("params: {limit: 100}, paginator: {type: header_link}", 3),
    ])
    func everyPaginatorReadsEveryRecordAndStopsExactly(paginator: String, requests: Int) async throws {
        try await withMockAPI(records: 250) { server, url in
            let config = try ReaderFixture.config(client: Self.apiKeyAuth, endpoint: paginator, baseURL: url)
            let before = server.requestCount
            let records = try await ReaderFixture.read(config)
            let expected = ReaderFixture.current(server)
            #expect(records.count == 250)
            #expect(Dictionary(records, uniquingKeysWith: { a, _ in a }) == expected)
            #expect(server.requestCount - before == requests)
        }
    }

    @Test func singlePageReadsOnePage() async throws {
        try await withMockAPI(records: 250) { server, url in
            let config = try ReaderFixture.config(client: Self.apiKeyAuth, endpoint: "params: {limit: 100}, paginator: single_page", baseURL: url)
            let records = try await ReaderFixture.read(config)
            #expect(records.count == 100)
            #expect(server.requestCount == 1)
        }
    }

    @Test(arguments: [
        "  auth: {type: api_key, name: api_key, api_key: \"${KEY}\", location: query}",
        "  auth: {type: api_key, name: X-API-Key, api_key: \"${KEY}\", location: header}",
        "  auth: {type: api_key, name: api_key, api_key: \"${KEY}\", location: cookie}",
        "  auth: {type: bearer, token: \"${KEY}\"}",
        "  auth: {type: http_basic, username: paystream, password: \"${KEY}\"}",
        "  auth: {type: oauth2_client_credentials, access_token_url: \"{URL}/oauth/token\", client_id: paystream, client_secret: \"${KEY}\"}",
    ])
    func everyAuthTypeIsAccepted(auth: String) async throws {
        try await withMockAPI(records: 120) { server, url in
            let config = try ReaderFixture.config(client: auth.replacingOccurrences(of: "{URL}", with: url), endpoint: "paginator: {type: offset, limit: 100}", baseURL: url)
            #expect(try await ReaderFixture.read(config).count == 120)
        }
    }

    @Test func oauth2TokensAreRefreshedBeforeTheyExpire() async throws {
        let server = MockAPIServer(
            configuration: .init(port: 0, apiKey: "test-key-9f3c", tokenLifetime: .seconds(1)),
            dataset: MockDataset(seed: 3, recordsPerResource: 300), logger: ReaderFixture.logger
        )
        let port = try await server.start()
        defer { server.stop() }
        let url = "http://127.0.0.1:\(port)"
        let auth = "  auth: {type: oauth2_client_credentials, access_token_url: \"\(url)/oauth/token\", client_id: paystream, client_secret: \"${KEY}\"}"
        let config = try ReaderFixture.config(client: auth, endpoint: "paginator: {type: offset, limit: 20}", baseURL: url)
        // Slow pages: the sync outlives several one-second tokens.
        server.faults = MockFaults(rate: 1, kinds: [.slow])
        server.faults.slowDelay = .milliseconds(150)
        let records = try await ReaderFixture.read(config, concurrency: 1)
        #expect(records.count == 300)
    }

    @Test func theKeyIsNeverInAnError() async throws {
        try await withMockAPI(records: 10) { _, url in
            let config = try ReaderFixture.config(client: Self.apiKeyAuth, endpoint: "paginator: {type: offset, limit: 100}", baseURL: url, apiKey: "sk_expired_77")
            do {
                _ = try await ReaderFixture.read(config)
                Issue.record("expected a 401")
            } catch let error as SourceError {
                #expect(error.status == 401)
                #expect(error.resource == "customers")
                #expect(!"\(error)".contains("sk_expired_77"))
                #expect("\(error)".contains("api_key=***"))
            }
        }
    }
}
