import Metrics
import Prometheus

/// The process's metrics in Prometheus text format, for `/metrics`.
///
/// Libraries record through swift-metrics (`Counter`, `Gauge`, `Timer`) and never see this
/// type; an executable that serves `/metrics` bootstraps it as the swift-metrics backend.
/// Without that bootstrap every metric is swift-metrics' no-op and costs nothing.
public final class PrometheusExport: Sendable {
    public let registry: PrometheusCollectorRegistry
    public let factory: PrometheusMetricsFactory

    public init() {
        registry = PrometheusCollectorRegistry()
        factory = PrometheusMetricsFactory(registry: registry)
    }

    /// Makes this the process-wide swift-metrics backend. Call once, before any metric is
    /// created.
    public func bootstrap() {
        MetricsSystem.bootstrap(factory)
    }

    /// Every metric, in the Prometheus text exposition format (version 0.0.4).
    public func render() -> [UInt8] {
        registry.emitToBuffer()
    }

    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"
}
