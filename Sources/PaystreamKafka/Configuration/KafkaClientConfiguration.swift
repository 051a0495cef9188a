/// Settings shared by producers, consumers and the admin client.
public struct KafkaClientConfiguration: Sendable {
    /// `host:port` of one or more brokers to bootstrap from.
    public var bootstrapServers: [String]
    public var clientID: String
    /// Any librdkafka property, applied last so it overrides Paystream's choices. This is
    /// how `security.protocol`, `sasl.*` and `ssl.*` reach a managed cluster.
    public var properties: [String: String]
    /// How long any one wait on the cluster may take before it counts as failed: a message's
    /// delivery, a transaction call, a metadata, offsets or topic request, a read that makes
    /// no progress. librdkafka retries inside it (reconnects, leader moves); past it the
    /// caller decides (a `--once` run fails, a daemon tries again).
    public var brokerTimeout: Duration = .seconds(30)

    public init(bootstrapServers: [String], clientID: String = "paystream", properties: [String: String] = [:]) {
        self.bootstrapServers = bootstrapServers
        self.clientID = clientID
        self.properties = properties
    }

    /// The servers as a user wrote them, for messages that must name the cluster.
    public var servers: String { bootstrapServers.joined(separator: ",") }

    var librdkafkaProperties: [String: String] {
        [
            "bootstrap.servers": servers, "client.id": clientID,
            // Paystream creates every topic it uses with the partitions and policy it needs.
            // A producer's default (true) lets the broker create a missing topic with its own
            // defaults the moment anything is sent to it, e.g. after a broker came back empty;
            // its partitions would then no longer be the ones units and keys were spread over.
            "allow.auto.create.topics": "false",
        ]
    }
}
