import PaystreamConfig
import Testing

/// The sink reads the fetcher's config for resources, tables and keys only: unset `${NAME}`s
/// must not stop it, while the fetcher still requires every one.
@Suite struct UnsetVariablesTests {
    static let yaml = """
        client:
          base_url: ${API_URL}
          auth: {type: api_key, name: api_key, api_key: "${API_KEY}", location: query}
        resources:
          - name: customers
            primary_key: id
            endpoint: {path: /v1/customers, data_selector: data, paginator: {type: offset, limit: 100}}
        """

    @Test func keptUnsetVariablesStayAsWritten() throws {
        let config = try ConfigLoader.parse(Self.yaml, environment: [:], unsetVariables: .keep)
        #expect(config.client.baseURL == "${API_URL}")
        #expect(config.resources.map(\.name) == ["customers"])
        #expect(config.resources[0].primaryKey == ["id"])
    }

    @Test func setVariablesAreStillSubstituted() throws {
        let config = try ConfigLoader.parse(Self.yaml, environment: ["API_URL": "https://api.example.com"], unsetVariables: .keep)
        #expect(config.client.baseURL == "https://api.example.com")
    }

    @Test func theDefaultStillFailsOnAnUnsetVariable() {
        #expect(throws: ConfigError.self) { try ConfigLoader.parse(Self.yaml, environment: ["API_KEY": "k"]) }
    }
}
