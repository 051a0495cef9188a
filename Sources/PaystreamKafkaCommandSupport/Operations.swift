import Logging
import PaystreamKafka
import PaystreamOperations
import ServiceLifecycle

/// A long-running command's operations side. With `--http-address`: Prometheus as the
/// swift-metrics backend, a broker connectivity check for readiness, and the listener for
/// `/metrics`, `/livez` and `/readyz`. Without it: nothing runs and metrics cost nothing.
public struct Operations: Sendable {
    public let readiness: Readiness
    let services: [any Service]

    public static var none: Operations { Operations(readiness: Readiness(), services: []) }

    private init(readiness: Readiness, services: [any Service]) {
        self.readiness = readiness
        self.services = services
    }

    /// Call before the main service is created, so its metrics go to Prometheus.
    public init(options: OperationsOptions, kafka: KafkaClientConfiguration, logger: Logger) {
        guard let address = options.httpAddress else {
            self = .none
            return
        }
        let metrics = PrometheusExport()
        metrics.bootstrap()
        let readiness = Readiness()
        let connectivity = BrokerConnectivity(kafka: kafka, logger: logger)
        readiness.add("kafka") { connectivity.problem }
        self.init(readiness: readiness, services: [
            OperationsServer(address: address, metrics: metrics, readiness: readiness, logger: logger), connectivity,
        ])
    }
}
