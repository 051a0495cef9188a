/// A pipeline config in the shape of dlt's `rest_api_source` dict.
public struct PipelineConfig: Sendable, Equatable {
    public var client: ClientConfig
    /// Every resource, selected or not, in config order.
    public var resources: [ResourceConfig]
    /// Values that came from `${NAME}` substitution. Treated as secrets wherever Paystream
    /// prints a URL.
    public var substitutedValues: Set<Secret> = []

    public var selectedResources: [ResourceConfig] { resources.filter(\.selected) }

    public init(_ value: ConfigValue) throws(ConfigError) {
        var r = try ConfigReader(value, at: "")
        let clientValue = r.value("client")
        let defaults = r.value("resource_defaults") ?? .object([:])
        let items = try r.array("resources")
        // A misspelt key (`resourcs:`) is named as such, before the key it should have been
        // is reported missing.
        try r.finish()
        guard let clientValue else { throw ConfigError(at: "client", "is required") }
        client = try ClientConfig(clientValue, at: "client")
        guard case .object = defaults else { throw ConfigError(at: "resource_defaults", "expected a mapping") }
        // An error_handler in the defaults' endpoint applies to every endpoint below it.
        var handlerDefaults = client.errorHandler
        if case .object(let d) = defaults, case .object(let ep)? = d["endpoint"], let h = ep["error_handler"] {
            handlerDefaults = try ErrorHandlerConfig(h, over: handlerDefaults, at: "resource_defaults.endpoint.error_handler")
        }
        guard let items, !items.isEmpty else {
            throw ConfigError(at: "resources", "is required and must list at least one resource")
        }
        resources = try items.enumerated().map { (i, item) throws(ConfigError) in
            let (merged, inherited) = Self.merge(Self.expand(item), defaults: defaults)
            do throws(ConfigError) {
                return try ResourceConfig(merged, errorHandlerDefaults: handlerDefaults, at: "resources[\(i)]")
            } catch {
                throw Self.blame(error, on: "resources[\(i)]", inherited: inherited)
            }
        }
        var seen: Set<String> = []
        for (i, res) in resources.enumerated() where !seen.insert(res.name).inserted {
            throw ConfigError(at: "resources[\(i)].name", "duplicate resource name '\(res.name)'")
        }
        for (i, res) in resources.enumerated() where (res.endpoint.paginator ?? client.paginator) == nil {
            throw ConfigError(at: "resources[\(i)].endpoint.paginator",
                              "no paginator given here or in client.paginator; name one (single_page if the endpoint has one page)")
        }
    }

    /// The paginator an endpoint uses: its own, else the client's.
    public func paginator(for resource: ResourceConfig) -> PaginatorConfig {
        resource.endpoint.paginator ?? client.paginator ?? .singlePage
    }

    /// dlt's shorthand: a bare string is a resource whose name is also its path.
    private static func expand(_ item: ConfigValue) -> ConfigValue {
        if case .string(let name) = item { return .object(["name": .string(name), "endpoint": .object(["path": .string(name)])]) }
        return item
    }
}
