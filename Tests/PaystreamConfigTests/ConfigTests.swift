import Foundation
import PaystreamConfig
import Testing

@Suite struct ConfigTests {
    static let seedYAML = """
        client:
          base_url: https://api.example.com
          auth: {type: api_key, name: api_key, api_key: "${API_KEY}", location: query}
        resource_defaults:
          primary_key: id
          write_disposition: merge
        resources:
          - name: customers
            endpoint:
              path: /v1/customers
              data_selector: data
              paginator: {type: offset, limit: 100}
              error_handler: {retry_on_status_codes: [429, 500, 502, 503, 504], max_retries: 3, backoff_factor: 2}
          - name: refunds
            endpoint: {path: /v1/refunds, data_selector: data, paginator: {type: offset, limit: 100}}
        """

    @Test func loadsTheSeedConfigWithTheSecretFromTheEnvironment() throws {
        let config = try ConfigLoader.parse(Self.seedYAML, environment: ["API_KEY": "sk_live_secret"])
        #expect(config.client.auth == .apiKey(name: "api_key", key: Secret("sk_live_secret"), location: .query))
        #expect(config.resources.map(\.name) == ["customers", "refunds"])
        let customers = config.resources[0]
        #expect(customers.primaryKey == ["id"])
        #expect(customers.writeDisposition == .merge)
        #expect(customers.endpoint.dataSelector == "data")
        #expect(customers.endpoint.errorHandler.maximumRetries == 3)
        #expect(customers.endpoint.errorHandler.backoffFactor == 2)
        #expect(config.resources[1].endpoint.errorHandler.maximumRetries == ErrorHandlerConfig().maximumRetries)
        guard case .offset(let paginator) = config.paginator(for: customers) else {
            Issue.record("expected an offset paginator")
            return
        }
        #expect(paginator.limit == 100)
        // The secret never shows in descriptions.
        #expect(!String(describing: config).contains("sk_live_secret"))
    }

    @Test func theSameConfigLoadsFromJSON() throws {
        let json = """
            {"client": {"base_url": "https://api.example.com", "auth": {"type": "api_key", "name": "api_key", "api_key": "${API_KEY}", "location": "query"}},
             "resource_defaults": {"primary_key": "id", "write_disposition": "merge"},
             "resources": [{"name": "customers", "endpoint": {"path": "/v1/customers", "data_selector": "data", "paginator": {"type": "offset", "limit": 100}}}]}
            """
        let config = try ConfigLoader.parse(json, environment: ["API_KEY": "k"])
        #expect(config.resources[0].endpoint.path == "/v1/customers")
    }

    @Test func anUnsetVariableIsAnErrorNamingIt() {
        #expect(throws: ConfigError(at: "client.auth.api_key", "environment variable API_KEY is not set")) {
            try ConfigLoader.parse(Self.seedYAML, environment: [:])
        }
    }

    @Test func aMisspeltKeyIsAnErrorNamingItAndWhereItIs() throws {
        let yaml = Self.seedYAML.replacingOccurrences(of: "data_selector: data\n      paginator", with: "data_selector: data\n      pagintor")
        let error = #expect(throws: ConfigError.self) { try ConfigLoader.parse(yaml, environment: ["API_KEY": "k"]) }
        #expect(error?.path == "resources[0].endpoint.pagintor")
    }

    @Test func defaultsMergeTheDltWay() throws {
        let yaml = """
            client: {base_url: "http://x", paginator: single_page}
            resource_defaults:
              primary_key: id
              endpoint: {params: {limit: 10, expand: customer}, data_selector: items}
            resources:
              - name: a
                endpoint: {path: /a, params: {limit: 50}}
              - b
              - {name: c, endpoint: /c}
            """
        let config = try ConfigLoader.parse(yaml, environment: [:])
        #expect(config.resources[0].endpoint.params == ["limit": "50", "expand": "customer"])
        #expect(config.resources[0].endpoint.dataSelector == "items")
        #expect(config.resources[1].endpoint.path == "b")
        #expect(config.resources[1].primaryKey == ["id"])
        // dlt's bare path keeps its path under the defaults' endpoint.
        #expect(config.resources[2].endpoint.path == "/c")
        #expect(config.resources[2].endpoint.dataSelector == "items")
    }

    @Test func aResourceWithoutAPaginatorIsRejectedNotLoadedAsOnePage() {
        let yaml = """
            client: {base_url: "http://x"}
            resources: [{name: a, primary_key: id, endpoint: {path: /a}}]
            """
        #expect(throws: ConfigError.self) { try ConfigLoader.parse(yaml, environment: [:]) }
    }

    @Test func incrementalInParamsIsRecognised() throws {
        let yaml = """
            client: {base_url: "http://x", paginator: {type: offset, limit: 100}}
            resources:
              - name: a
                primary_key: id
                endpoint:
                  path: /a
                  params:
                    updated_since: {type: incremental, cursor_path: updated_at, initial_value: "2024-01-01T00:00:00Z"}
            """
        let config = try ConfigLoader.parse(yaml, environment: [:])
        #expect(config.resources[0].endpoint.incremental?.cursorPath == "updated_at")
        #expect(config.resources[0].endpoint.incremental?.startParam == "updated_since")
        #expect(config.resources[0].endpoint.params.isEmpty)
    }
}

@Suite struct ConfigKeyTests {
    /// Found by the fuzz harness: Yams trapped (force unwrap in its constructor) on these.
    @Test(arguments: ["[a]: 1\n", "? {a: 1}\n: 2\n", "client:\n  [x, y]: z\n"])
    func aMappingKeyThatIsNotAPlainNameIsAConfigError(_ text: String) {
        #expect(throws: ConfigError.self) { try ConfigLoader.parse(text, environment: [:]) }
    }
}
