extension KafkaClientConfiguration {
    /// Checks the bootstrap servers and every librdkafka property (name, type, allowed
    /// values) the way librdkafka will read them, without connecting anywhere: for config
    /// checks that must not touch the cluster.
    public func validate(requiringBrokers: Bool = true) throws {
        if requiringBrokers && bootstrapServers.isEmpty {
            throw KafkaError.configuration("no bootstrap servers (--brokers host:port[,host:port...])")
        }
        var properties = librdkafkaProperties.merging(self.properties) { _, user in user }
        if bootstrapServers.isEmpty { properties["bootstrap.servers"] = nil }
        try RDKafkaConfCheck.validate(properties)
    }
}
