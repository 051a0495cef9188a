/// dlt's `client`: where the API is and how to talk to it.
public struct ClientConfig: Sendable, Equatable {
    public var baseURL: String
    public var headers: [String: String]
    public var auth: AuthConfig?
    /// Used by endpoints that do not name their own.
    public var paginator: PaginatorConfig?
    public var errorHandler: ErrorHandlerConfig

    init(_ value: ConfigValue, at path: String) throws(ConfigError) {
        var r = try ConfigReader(value, at: path)
        baseURL = try r.requiredString("base_url")
        // A `${NAME}` left as written (`ConfigLoader.UnsetVariables.keep`) is checked by no one
        // who calls the API.
        guard baseURL.hasPrefix("http://") || baseURL.hasPrefix("https://") || baseURL.hasPrefix("${") else {
            throw ConfigError(at: r.child("base_url"), "must start with http:// or https://")
        }
        headers = try r.stringMap("headers")
        auth = try r.value("auth").map { v throws(ConfigError) in try AuthConfig(v, at: r.child("auth")) }
        paginator = try r.value("paginator").map { v throws(ConfigError) in try PaginatorConfig(v, at: r.child("paginator")) }
        errorHandler = try r.value("error_handler").map { v throws(ConfigError) in
            try ErrorHandlerConfig(v, over: ErrorHandlerConfig(), at: r.child("error_handler"))
        } ?? ErrorHandlerConfig()
        try r.finish()
    }
}
