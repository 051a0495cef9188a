/// Parses `name=value` command-line arguments into librdkafka properties.
public enum KafkaPropertyArguments {
    public static func parse(_ arguments: [String]) throws -> [String: String] {
        var properties: [String: String] = [:]
        for argument in arguments {
            guard let eq = argument.firstIndex(of: "="), eq != argument.startIndex else {
                // The argument is not echoed: it may hold a password.
                throw KafkaError.configuration("--kafka-property expects name=value")
            }
            properties[String(argument[..<eq])] = String(argument[argument.index(after: eq)...])
        }
        return properties
    }
}
