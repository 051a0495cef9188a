/// Settings shared by producers, consumers and the admin client.
public struct KafkaClientConfiguration: Sendable {
    /// `host:port` of one or more brokers to bootstrap from.
    public var bootstrapServers: [String]
    public var clientID: String
    /// Any librdkafka property, applied last so it overrides Paystream's choices. This is
    /// how `security.protocol`, `sasl.*` and `ssl.*` reach a managed cluster.
    public var properties: [String: String]

    public init(bootstrapServers: [String], clientID: String = "paystream", properties: [String: String] = [:]) {
        self.bootstrapServers = bootstrapServers
        self.clientID = clientID
        self.properties = properties
    }

    var librdkafkaProperties: [String: String] {
        ["bootstrap.servers": bootstrapServers.joined(separator: ","), "client.id": clientID]
    }
}
