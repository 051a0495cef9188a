import PaystreamConfig
import Testing

/// A config error names the key where it was written: in `resource_defaults` when the key
/// came from there, the misspelt key itself rather than the one it should have been, and the
/// line and column in the file.
@Suite struct ConfigErrorPlaceTests {
    func thrown(_ text: String) -> ConfigError? {
        #expect(throws: ConfigError.self) { try ConfigLoader.parse(text, environment: [:]) }
    }

    /// The error `text` gets names `path`, written at `position` (`line L, column C`).
    @discardableResult
    func expect(_ text: String, blames path: String, at position: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> ConfigError {
        let error = try #require(thrown(text), sourceLocation: sourceLocation)
        #expect(error.path == path, "\(error)", sourceLocation: sourceLocation)
        #expect("\(error)".hasPrefix("\(position): config \(path): "), "\(error)", sourceLocation: sourceLocation)
        return error
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
        let error = try expect(yaml, blames: "resource_defaults.endpoint.pagintor", at: "line 4, column 35")
        #expect(error.reason.hasPrefix("unknown key"))
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
        try expect(yaml, blames: "resources[0].endpoint.pagintor", at: "line 5, column 48")
    }

    @Test func aMisspeltTopLevelKeyIsNamedWithTheKeysAllowedThere() throws {
        let yaml = """
            client: {base_url: "http://x", paginator: single_page}
            resourcs:
              - {name: a, primary_key: id}
            """
        let error = try expect(yaml, blames: "resourcs", at: "line 2, column 1")
        #expect(error.reason == "unknown key (known keys here: client, resource_defaults, resources)")
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
        try expect(json, blames: "resources[0].endpont", at: "line 2, column 51")
    }
}
