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
    private let state = Mutex<String?>("not checked yet")

    public init(kafka: KafkaClientConfiguration, interval: Duration = .seconds(5), timeout: Duration = .seconds(4), logger: Logger) {
        var client = kafka
        client.clientID += "-health"
        self.kafka = client
        self.interval = interval
        self.timeout = timeout
        self.logger = logger
    }

    /// nil while the last check reached the cluster; otherwise why not.
    public var problem: String? { state.withLock { $0 } }

    public func run() async throws {
        var clientLogger = logger
        clientLogger.logLevel = .critical
        let admin = try KafkaAdmin(configuration: kafka, logger: clientLogger)
        defer { admin.close() }
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
        let problem: String?
        do {
            _ = try await admin.brokerCount(timeout: timeout)
            problem = nil
        } catch {
            problem = "cannot reach the Kafka cluster (\(kafka.bootstrapServers.joined(separator: ","))): \(error)"
        }
        let previous = state.withLock { s in
            defer { s = problem }
            return s
        }
        guard (previous == nil) != (problem == nil) || previous == "not checked yet" else { return }
        if let problem {
            logger.warning("not ready: \(problem)")
        } else {
            logger.info("connected to the Kafka cluster")
        }
    }
}
