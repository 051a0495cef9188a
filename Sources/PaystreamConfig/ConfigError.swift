/// A pipeline configuration that cannot be used, with where in the file the problem is.
public struct ConfigError: Error, CustomStringConvertible, Sendable, Equatable {
    /// Where in the config, e.g. `resources[2].endpoint.paginator`.
    public var path: String
    public var reason: String

    public init(at path: String, _ reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { path.isEmpty ? "config: \(reason)" : "config \(path): \(reason)" }
}
