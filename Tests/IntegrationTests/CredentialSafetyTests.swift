import Foundation
import PaystreamConfig
import PaystreamMockAPI
import PaystreamSource
import TestSupport
import Testing

/// Credentials go to the configured origin only, over every path: redirects, echoed bodies.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct CredentialSafetyTests {
    static let headerAuth = "  auth: {type: api_key, name: X-API-Key, api_key: \"${KEY}\", location: header}"

    @Test func aRedirectToAnotherOriginIsRefusedAndNothingReachesIt() async throws {
        // The other origin would serve the data, and would see the key.
        try await withMockAPI(records: 50) { elsewhere, elsewhereURL in
            var options = MockListingOptions()
            options.redirectTo = elsewhereURL
            try await withMockAPI(records: 50, options: options) { _, url in
                let config = try ReaderFixture.config(client: Self.headerAuth, endpoint: "paginator: {type: offset, limit: 100}", baseURL: url)
                do {
                    _ = try await ReaderFixture.read(config)
                    Issue.record("the redirect to \(elsewhereURL) was followed")
                } catch let error as SourceError {
                    #expect("\(error)".contains("redirect"), "\(error)")
                    #expect(!"\(error)".contains("test-key-9f3c"))
                }
                #expect(elsewhere.requestCount == 0, "a request (with the key) reached the other origin")
            }
        }
    }

    @Test func aRedirectWithinTheOriginIsFollowed() async throws {
        try await withMockAPI(records: 150) { server, url in
            let yaml = """
                client:
                  base_url: \(url)
                \(Self.headerAuth)
                resources:
                  - name: customers
                    primary_key: id
                    endpoint: {path: /moved/v1/customers, data_selector: data, paginator: {type: offset, limit: 100}}
                """
            let config = try ConfigLoader.parse(yaml, environment: ["KEY": "test-key-9f3c"])
            let records = try await ReaderFixture.read(config)
            #expect(Dictionary(records, uniquingKeysWith: { a, _ in a }) == ReaderFixture.current(server))
        }
    }

    /// The API echoes the request (and the key it was given) in its error body: the error
    /// Paystream prints shows neither.
    @Test(arguments: [PaginatorAndAuthTests.apiKeyAuth, headerAuth])
    func anEchoedKeyNeverAppearsInAnError(auth: String) async throws {
        try await withMockAPI(records: 10) { _, url in
            let config = try ReaderFixture.config(client: auth, endpoint: "paginator: {type: offset, limit: 100}", baseURL: url, apiKey: "sk_echoed_4411")
            do {
                _ = try await ReaderFixture.read(config)
                Issue.record("expected a 401")
            } catch let error as SourceError {
                #expect(error.status == 401)
                #expect(!"\(error)".contains("sk_echoed_4411"), "\(error)")
                #expect("\(error)".contains("invalid API key"), "the body excerpt is still shown: \(error)")
            }
        }
    }
}
