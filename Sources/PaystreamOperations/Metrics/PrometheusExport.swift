import Metrics
import Prometheus

/// The process's metrics in Prometheus text format, for `/metrics`: each with its HELP
/// text (`MetricHelp`), and the process's own (`ProcessMetrics`).
///
/// Libraries record through swift-metrics (`Counter`, `Gauge`, `Timer`) and never see this
/// type; an executable that serves `/metrics` bootstraps it as the swift-metrics backend.
/// Without that bootstrap every metric is swift-metrics' no-op and costs nothing.
public final class PrometheusExport: Sendable {
    public let registry: PrometheusCollectorRegistry
    public let factory: any MetricsFactory
    private let process: ProcessMetrics?

    public init() {
        registry = PrometheusCollectorRegistry()
        factory = DescribedMetricsFactory(registry: registry)
        process = ProcessMetrics(registry: registry)
    }

    /// Makes this the process-wide swift-metrics backend. Call once, before any metric is
    /// created.
    public func bootstrap() {
        MetricsSystem.bootstrap(factory)
    }

    /// Every metric, in the Prometheus text exposition format (version 0.0.4), the process's
    /// read as of now.
    public func render() -> [UInt8] {
        process?.update()
        return registry.emitToBuffer()
    }

    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"
}
