import Foundation
import PaystreamCommandSupport
import PaystreamConfig
import PaystreamKafka

/// librdkafka properties from a properties file and `--kafka-property` arguments (which win),
/// with `${NAME}` replaced from the environment in every value. This keeps secrets such as
/// `sasl.password` off the command line, where any local user can read them.
/// Errors name the file, line or property, never a value.
public struct KafkaPropertySources {
    public var properties: [String: String] = [:]
    /// Names whose value came from the environment or a file: shown as `***` in plans.
    public var hiddenNames: Set<String> = []

    public init(file: String?, arguments: [String], environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        if let file {
            for (name, value) in try Self.read(file: file) {
                properties[name] = try Self.substitute(value, at: "\(file): \(name)", environment)
                hiddenNames.insert(name)
            }
        }
        for (name, value) in try KafkaPropertyArguments.parse(arguments) {
            properties[name] = try Self.substitute(value, at: "--kafka-property \(name)", environment)
            if value.contains("${") { hiddenNames.insert(name) } else { hiddenNames.remove(name) }
        }
    }

    /// A property's value as a plan may print it: hidden when it came from a file or the
    /// environment, or when the name says it is a credential.
    public func displayValue(of name: String) -> String {
        let credential = ["password", "secret", "key", "token", "jaas", "oauthbearer.config"].contains { name.lowercased().contains($0) }
        return hiddenNames.contains(name) || credential ? "***" : properties[name] ?? ""
    }

    /// Every property with the value a plan may print (see `displayValue`).
    public var displayedProperties: [String: String] {
        Dictionary(uniqueKeysWithValues: properties.keys.map { ($0, displayValue(of: $0)) })
    }

    /// `name=value` lines (Java properties style, also `name: value`); `#` and `!` start
    /// comments; whitespace around names and values is dropped.
    static func read(file: String) throws -> [(String, String)] {
        let text: String
        do {
            text = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            throw UsageError("cannot read the Kafka properties file \(file) (--kafka-properties-file): \(error.localizedDescription)")
        }
        var result: [(String, String)] = []
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix("!") { continue }
            guard let separator = line.firstIndex(where: { $0 == "=" || $0 == ":" }), separator != line.startIndex else {
                throw UsageError("\(file) line \(number + 1): expected name=value (the line is not shown: it may hold a secret)")
            }
            let name = line[..<separator].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: separator)...].trimmingCharacters(in: .whitespaces)
            result.append((name, value))
        }
        return result
    }

    private static func substitute(_ value: String, at location: String, _ environment: [String: String]) throws -> String {
        do {
            return try ConfigLoader.substituteEnvironment(in: value, at: location, environment: environment)
        } catch {
            throw UsageError("Kafka property \(location): \(error.reason)")
        }
    }
}
