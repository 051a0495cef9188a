import PaystreamConfig
import Testing

/// A config error names the key where it was written: in `resource_defaults` when the key
/// came from there, the misspelt key itself rather than the one it should have been, and the
/// line and column in the file.
@Suite struct ConfigErrorPlaceTests {
    func thrown(_ text: String) -> ConfigError? {
        #expect(throws: ConfigError.self) { try ConfigLoader.parse(text, environment: [:]) }
    }

    static let resources = """
        resources:
          - name: a
            endpoint: {path: /a}
          - name: b
            endpoint: {path: /b}
        """

    @Test func anUnknownKeyInTheDefaultsIsBlamedOnTheDefaults() throws {
        let yaml = """
            client: {base_url: "http://x", paginator: single_page}
            resource_defaults:
              primary_key: id
              endpoint: {data_selector: data, pagintor: {type: offset}}
            \(Self.resources)
            """
        let error = try #require(thrown(yaml))
        #expect(error.path == "resource_defaults.endpoint.pagintor", "\(error)")
        #expect(error.reason.hasPrefix("unknown key"))
        #expect("\(error)".hasPrefix("line 4, column 35: config resource_defaults.endpoint.pagintor: unknown key"), "\(error)")
    }

    @Test func aBadValueInTheDefaultsIsBlamedOnTheDefaults() throws {
        let yaml = """
            client: {base_url: "http://x", paginator: single_page}
            resource_defaults:
              primary_key: id
              write_disposition: replace
            \(Self.resources)
            """
        #expect(thrown(yaml)?.path == "resource_defaults.write_disposition")
    }

    @Test func aResourcesOwnKeyIsStillBlamedOnTheResource() throws {
        let yaml = """
            client: {base_url: "http://x", paginator: single_page}
            resource_defaults: {primary_key: id, endpoint: {data_selector: data}}
            resources:
              - name: a
                endpoint: {path: /a, data_selector: items, pagintor: single_page}
            """
        let error = try #require(thrown(yaml))
        #expect(error.path == "resources[0].endpoint.pagintor")
        #expect("\(error)".hasPrefix("line 5, column 48: "), "\(error)")
    }

    @Test func aMisspeltTopLevelKeyIsNamedWithTheKeysAllowedThere() throws {
        let yaml = """
            client: {base_url: "http://x", paginator: single_page}
            resourcs:
              - {name: a, primary_key: id}
            """
        let error = try #require(thrown(yaml))
        #expect(error.path == "resourcs", "\(error)")
        #expect(error.reason == "unknown key (known keys here: client, resource_defaults, resources)", "\(error)")
        #expect("\(error)".hasPrefix("line 2, column 1: "), "\(error)")
    }

    @Test func aMisspeltResourceNameKeyIsNamed() throws {
        let yaml = """
            client: {base_url: "http://x", paginator: single_page}
            resources:
              - {nmae: a, primary_key: id}
            """
        #expect(thrown(yaml)?.path == "resources[0].nmae")
    }

    @Test func aJSONConfigsUnknownKeyHasItsLineAndColumnToo() throws {
        let json = """
            {"client": {"base_url": "http://x", "paginator": "single_page"},
             "resources": [{"name": "a", "primary_key": "id", "endpont": {"path": "/a"}}]}
            """
        let error = try #require(thrown(json))
        #expect(error.path == "resources[0].endpont")
        #expect("\(error)".hasPrefix("line 2, column 51: "), "\(error)")
    }
}
