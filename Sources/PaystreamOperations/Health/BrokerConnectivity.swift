import Logging
import PaystreamKafka
import ServiceLifecycle
import Synchronization

/// Asks the cluster for its broker list at a steady interval and remembers whether it
/// answered, for readiness. Its own Kafka client logs only critical errors: while the
/// broker is away the service's own clients already say so, and this check logs each
/// change of state once.
public final class BrokerConnectivity: Service {
    private let kafka: KafkaClientConfiguration
    private let interval: Duration
    private let timeout: Duration
    private let logger: Logger
    private enum State: Equatable {
        case unchecked
        case reachable
        case unreachable(String)
    }

    private let state = Mutex(State.unchecked)

    public init(kafka: KafkaClientConfiguration, interval: Duration = .seconds(5), timeout: Duration = .seconds(4), logger: Logger) {
        var client = kafka
        client.clientID += "-health"
        self.kafka = client
        self.interval = interval
        self.timeout = timeout
        self.logger = logger
    }

    /// nil while the last check reached the cluster; otherwise why not.
    public var problem: String? {
        switch state.withLock({ $0 }) {
        case .unchecked: "the Kafka cluster was not checked yet"
        case .reachable: nil
        case .unreachable(let reason): reason
        }
    }

    public func run() async throws {
        var clientLogger = logger
        clientLogger.logLevel = .critical
        let admin = try KafkaAdmin(configuration: kafka, logger: clientLogger)
        do {
            try await cancelWhenGracefulShutdown {
                while true {
                    await self.check(admin)
                    try await Task.sleep(for: self.interval)
                }
            }
        } catch is CancellationError {}
    }

    private func check(_ admin: KafkaAdmin) async {
        let now: State
        do {
            _ = try await admin.brokerCount(timeout: timeout)
            now = .reachable
        } catch {
            now = .unreachable("cannot reach the Kafka cluster (\(kafka.bootstrapServers.joined(separator: ","))): \(error)")
        }
        let before = state.withLock { s in
            defer { s = now }
            return s
        }
        // Log changes only: one line when the cluster goes away, one when it is back.
        switch (before, now) {
        case (.reachable, .reachable), (.unreachable, .unreachable): break
        case (_, .unreachable(let reason)): logger.warning("not ready: \(reason)")
        case (_, .reachable): logger.info("connected to the Kafka cluster")
        case (_, .unchecked): break
        }
    }
}
