import Foundation
import Yams

/// Reads a pipeline config file (YAML, or JSON, which YAML reads too) and replaces
/// `${NAME}` in any string with the environment variable NAME.
public enum ConfigLoader {
    /// What an unset `${NAME}` is.
    public enum UnsetVariables: Sendable {
        /// An error naming it (the fetcher, which sends these values to the API).
        case fail
        /// Left as written: for readers of the config that never use the API's settings
        /// (the sink and `paystream-status` need only resources, tables and keys).
        case keep
    }

    public static func load(
        path: String, environment: [String: String] = ProcessInfo.processInfo.environment, unsetVariables: UnsetVariables = .fail
    ) throws -> PipelineConfig {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigError(at: "", "cannot read \(path): \(error.localizedDescription)")
        }
        do {
            return try parse(text, environment: environment, unsetVariables: unsetVariables)
        } catch var error as ConfigError {
            error.file = path
            throw error
        }
    }

    public static func parse(_ text: String, environment: [String: String], unsetVariables: UnsetVariables = .fail) throws -> PipelineConfig {
        var environment = environment
        if unsetVariables == .keep {
            // Each unset NAME stands for its own "${NAME}", so substitution leaves it as written.
            for name in referencedVariables(text) where environment[name] == nil { environment[name] = "${\(name)}" }
        }
        let (document, positions) = try compose(text)
        do throws(ConfigError) {
            return try read(document, environment: environment)
        } catch {
            throw positions?.locate(error) ?? error
        }
    }

    /// The config in `document`, with `${NAME}` replaced from `environment`.
    private static func read(_ document: Any?, environment: [String: String]) throws(ConfigError) -> PipelineConfig {
        var substituted: Set<String> = []
        // Placeholders are checked in the text as written, before the environment's values
        // are in it: those are data (and may be secrets), never placeholders.
        try PlaceholderCheck.check(try convert(document, at: "", environment: nil, substituted: &substituted))
        let value = try convert(document, at: "", environment: environment, substituted: &substituted)
        var config = try PipelineConfig(value)
        config.substitutedValues = Set(substituted.map(Secret.init))
        return config
    }

    /// The YAML (or JSON) document, and where each of its keys is written.
    private static func compose(_ text: String) throws(ConfigError) -> (document: Any?, positions: ConfigKeyPositions?) {
        do {
            guard let root = try Yams.compose(yaml: text) else { return (nil, nil) }
            // Before the tree is constructed: this refuses the keys Yams would trap on.
            let positions = try ConfigKeyPositions(root)
            return (root.any, positions)
        } catch let error as ConfigError {
            throw error
        } catch {
            throw ConfigError(at: "", "not valid YAML or JSON: \(error)")
        }
    }

    /// The YAML document as a `ConfigValue`; `environment` nil leaves `${NAME}` as written.
    private static func convert(
        _ any: Any?, at path: String, environment: [String: String]?, substituted: inout Set<String>
    ) throws(ConfigError) -> ConfigValue {
        switch any {
        case nil, is NSNull: return .null
        case let s as String:
            guard let environment else { return .string(s) }
            return .string(try substitute(s, at: path, environment: environment, substituted: &substituted))
        // YAML reads an unquoted 2024-01-01T00:00:00Z as a timestamp; the config wants its text.
        case let d as Date: return .string(Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(d))
        case let b as Bool: return .bool(b)
        case let i as Int: return .int(i)
        case let d as Double: return .double(d)
        case let items as [Any?]:
            var converted: [ConfigValue] = []
            for (i, item) in items.enumerated() {
                converted.append(try convert(item, at: "\(path)[\(i)]", environment: environment, substituted: &substituted))
            }
            return .array(converted)
        case let map as [AnyHashable: Any?]:
            var result: [String: ConfigValue] = [:]
            for (key, item) in map {
                let name = String(describing: key.base)
                result[name] = try convert(item, at: path.isEmpty ? name : "\(path).\(name)", environment: environment, substituted: &substituted)
            }
            return .object(result)
        default:
            throw ConfigError(at: path, "unsupported value \(String(describing: any))")
        }
    }

    /// Every NAME written as `${NAME}` in `text`.
    static func referencedVariables(_ text: String) -> Set<String> {
        var names: Set<String> = []
        var rest = Substring(text)
        while let open = rest.range(of: "${"), let close = rest[open.upperBound...].firstIndex(of: "}") {
            names.insert(String(rest[open.upperBound..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return names
    }

    /// Replaces every `${NAME}`; an unset variable is an error naming it (never its value).
    static func substitute(
        _ text: String, at path: String, environment: [String: String], substituted: inout Set<String>
    ) throws(ConfigError) -> String {
        guard text.contains("${") else { return text }
        var result = ""
        var rest = Substring(text)
        while let open = rest.range(of: "${") {
            result += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else {
                throw ConfigError(at: path, "unterminated ${ in a string value")
            }
            let name = String(rest[open.upperBound..<close])
            guard let value = environment[name] else {
                throw ConfigError(at: path, "environment variable \(name) is not set")
            }
            result += value
            substituted.insert(value)
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }
}
