/// `resource_defaults`: merged into every resource the way dlt does it, and errors about a
/// key that came from there blamed on it rather than on the resource it was merged into.
extension PipelineConfig {
    /// dlt's rule: resource keys override the defaults, except `endpoint.params`, which
    /// merges parameter by parameter. Also returns the paths inside the resource of what
    /// came from the defaults (`primary_key`, `endpoint.paginator`, `endpoint.params.limit`).
    static func merge(_ resource: ConfigValue, defaults: ConfigValue) -> (ConfigValue, inherited: Set<String>) {
        guard case .object(var res) = resource, case .object(let defs) = defaults else { return (resource, []) }
        var inherited: Set<String> = []
        for (key, value) in defs where key != "endpoint" && res[key] == nil {
            res[key] = value
            inherited.insert(key)
        }
        if case .object(let defEndpoint)? = defs["endpoint"] {
            var endpoint: [String: ConfigValue] = [:]
            switch res["endpoint"] {
            case .object(let own)?: endpoint = own
            case .string(let path)?: endpoint = ["path": .string(path)]  // dlt's bare path
            default: break
            }
            for (key, value) in defEndpoint where endpoint[key] == nil {
                endpoint[key] = value
                inherited.insert("endpoint.\(key)")
            }
            if case .object(let dp)? = defEndpoint["params"], case .object(let rp)? = endpoint["params"] {
                endpoint["params"] = .object(dp.merging(rp) { _, mine in mine })
                for name in dp.keys where rp[name] == nil { inherited.insert("endpoint.params.\(name)") }
            }
            res["endpoint"] = .object(endpoint)
        }
        return (.object(res), inherited)
    }

    /// `error`, found in the resource at `resource` with the defaults merged in, blamed on
    /// `resource_defaults` when the key it names came from there: a typo in the defaults is
    /// fixed there, not in the first resource that inherited it.
    static func blame(_ error: ConfigError, on resource: String, inherited: Set<String>) -> ConfigError {
        guard error.path.hasPrefix(resource + ".") else { return error }
        let inside = error.path.dropFirst(resource.count + 1)
        guard inherited.contains(where: { inside == $0 || inside.hasPrefix($0 + ".") || inside.hasPrefix($0 + "[") }) else { return error }
        var blamed = error
        blamed.path = "resource_defaults." + inside
        return blamed
    }
}
