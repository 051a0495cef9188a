import PaystreamConfig
import Testing

// Keys whose value is one of a few words: read into an enum, and any other word is an
// error that names the key.

/// A config of one resource with `extra` among its keys and `endpoint` after its path.
private func resource(_ extra: String, endpoint: String = "") -> String {
    """
    client: {base_url: "http://x", paginator: single_page}
    resources:
      - name: a
        primary_key: id
        \(extra)
        endpoint: {path: /a\(endpoint)}
    """
}

@Suite struct WriteDispositionTests {
    @Test(arguments: [("", ResourceConfig.WriteDisposition.merge), ("write_disposition: merge", .merge), ("write_disposition: append", .append)])
    func writeDisposition(_ line: String, _ expected: ResourceConfig.WriteDisposition) throws {
        let config = try ConfigLoader.parse(resource(line), environment: [:])
        #expect(config.resources[0].writeDisposition == expected)
    }

    @Test(arguments: ["replace", "upsert"])
    func aWriteDispositionPaystreamCannotHonourIsAnErrorNamingTheKey(_ word: String) {
        #expect(throws: ConfigError(at: "resources[0].write_disposition", "'\(word)' is not supported: Paystream merges records by primary key (use merge)")) {
            try ConfigLoader.parse(resource("write_disposition: \(word)"), environment: [:])
        }
    }

    @Test func theWriteDispositionOfResourceDefaultsApplies() throws {
        let yaml = """
            client: {base_url: "http://x", paginator: single_page}
            resource_defaults: {primary_key: id, write_disposition: replace}
            resources: [a]
            """
        #expect(throws: ConfigError(at: "resource_defaults.write_disposition", "'replace' is not supported: Paystream merges records by primary key (use merge)")) {
            try ConfigLoader.parse(yaml, environment: [:])
        }
    }
}

@Suite struct EndpointMethodTests {
    @Test(arguments: [("", HTTPMethod.get), (", method: GET", .get), (", method: post", .post), (", method: POST", .post)])
    func method(_ setting: String, _ expected: HTTPMethod) throws {
        let config = try ConfigLoader.parse(resource("", endpoint: setting), environment: [:])
        #expect(config.resources[0].endpoint.method == expected)
    }

    @Test(arguments: ["PUT", "delete", "GETS"])
    func aMethodOtherThanGetOrPostIsAnErrorNamingTheKeyAndTheChoices(_ word: String) {
        #expect(throws: ConfigError(at: "resources[0].endpoint.method", "expected GET or POST")) {
            try ConfigLoader.parse(resource("", endpoint: ", method: \(word)"), environment: [:])
        }
    }
}
