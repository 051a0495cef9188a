/// A pipeline configuration that cannot be used, with where in the file the problem is.
public struct ConfigError: Error, CustomStringConvertible, Sendable, Equatable {
    /// Where in the config, e.g. `resources[2].endpoint.paginator`.
    public var path: String
    public var reason: String
    /// Where `path` is written in the text (1-based), when the loader found it there; and the
    /// file, when the text came from one.
    public var line: Int?
    public var column: Int?
    public var file: String?

    public init(at path: String, _ reason: String) {
        self.path = path
        self.reason = reason
    }

    /// `pipeline.yaml:12:7: config resources[1].endpoint.pagintor: unknown key (…)`, the
    /// position first as compilers write it, so editors can jump there.
    public var description: String {
        let what = path.isEmpty ? "config: \(reason)" : "config \(path): \(reason)"
        guard let line, let column else { return what }
        return (file.map { "\($0):\(line):\(column): " } ?? "line \(line), column \(column): ") + what
    }

    /// The same error about the same key, wherever the text had it.
    public static func == (a: ConfigError, b: ConfigError) -> Bool {
        a.path == b.path && a.reason == b.reason
    }
}
