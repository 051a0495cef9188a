import PaystreamConfig
import Testing

/// dlt's `{incremental.…}` placeholders: the ones dlt documents are understood where dlt
/// expands them; any other placeholder anywhere is an error naming it, never sent to an API.
@Suite struct PlaceholderConfigTests {
    static func yaml(params: String = "{}", incremental: String? = "{cursor_path: updated_at, initial_value: \"2024-01-01T00:00:00Z\"}",
                     path: String = "/a", client: String = "") -> String {
        """
        client: {base_url: "http://x", paginator: {type: offset, limit: 100}\(client)}
        resources:
          - name: a
            primary_key: id
            endpoint:
              path: \(path)
              params: \(params)
        \(incremental.map { "      incremental: \($0)" } ?? "")
        """
    }

    private func error(_ yaml: String) -> ConfigError? {
        do {
            _ = try ConfigLoader.parse(yaml, environment: ["SECRET": "s3cr{et}"])
            return nil
        } catch let error as ConfigError {
            return error
        } catch {
            return nil
        }
    }

    @Test(arguments: ["{incremental.start_value}", "{incremental.end_value}", "{incremental.last_value}", "{incremental.initial_value}"])
    func dltsPlaceholdersInParamsAreUnderstood(placeholder: String) throws {
        let config = try ConfigLoader.parse(Self.yaml(params: "{since: \"\(placeholder)\", limit: 100}"), environment: [:])
        #expect(config.resources[0].endpoint.params["since"] == placeholder)
        #expect(config.resources[0].endpoint.incremental?.cursorPath == "updated_at")
    }

    @Test(arguments: [
        ("{since: \"{incremental.start}\"}", "resources[0].endpoint.params.since", "{incremental.start}"),
        ("{since: \"{resources.parent.id}\"}", "resources[0].endpoint.params.since", "{resources.parent.id}"),
        ("{q: \"updated>{cursor}\"}", "resources[0].endpoint.params.q", "{cursor}"),
    ])
    func anUnknownPlaceholderIsAnErrorNamingIt(params: String, path: String, placeholder: String) {
        let failure = error(Self.yaml(params: params))
        #expect(failure?.path == path)
        #expect(failure?.reason.contains(placeholder) == true, "\(String(describing: failure))")
    }

    @Test func aPlaceholderOutsideWhereDltExpandsThemIsAnError() {
        let failure = error(Self.yaml(client: ", headers: {X-Since: \"{incremental.start_value}\"}"))
        #expect(failure?.path == "client.headers.X-Since")
    }

    @Test func anIncrementalPlaceholderWithoutAnIncrementalIsAnError() {
        let failure = error(Self.yaml(params: "{since: \"{incremental.start_value}\"}", incremental: nil))
        #expect(failure?.path == "resources[0].endpoint.params.since", "\(String(describing: failure))")
    }

    @Test func textFromTheEnvironmentIsNeverReadAsAPlaceholderNorShownInAnError() throws {
        // The variable's value has braces; it is data, not a placeholder.
        let config = try ConfigLoader.parse(Self.yaml(params: "{token: \"${SECRET}\"}"), environment: ["SECRET": "s3cr{et}"])
        #expect(config.resources[0].endpoint.params["token"] == "s3cr{et}")
    }

    @Test func jsonBracesThatAreNotPlaceholdersAreLeftAlone() throws {
        let config = try ConfigLoader.parse(Self.yaml(params: "{filter: '{\"a\": 1}'}"), environment: [:])
        #expect(config.resources[0].endpoint.params["filter"] == #"{"a": 1}"#)
    }

    @Test func theParamsFormOfIncrementalTakesOnlyWhatDltAllowsThere() {
        let failure = error(Self.yaml(params: "{since: {type: incremental, cursor_path: updated_at, end_param: until}}", incremental: nil))
        #expect(failure?.path.hasPrefix("resources[0].endpoint.params.since") == true, "\(String(describing: failure))")
    }
}
