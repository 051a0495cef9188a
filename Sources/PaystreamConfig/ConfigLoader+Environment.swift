extension ConfigLoader {
    /// `${NAME}` substitution with the config file's rules, for values given elsewhere
    /// (Kafka properties): an unset variable is an error naming it and `location`, never
    /// its value.
    public static func substituteEnvironment(in text: String, at location: String, environment: [String: String]) throws(ConfigError) -> String {
        var substituted: Set<String> = []
        return try substitute(text, at: location, environment: environment, substituted: &substituted)
    }
}
