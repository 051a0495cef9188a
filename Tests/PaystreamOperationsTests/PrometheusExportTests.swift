import Metrics
import PaystreamOperations
import Testing

/// `/metrics` as Prometheus's checks want it: a HELP line for every metric, and the
/// process's own metrics.
@Suite struct PrometheusExportTests {
    /// Every metric Paystream records, one sample each.
    static func recordEveryMetric(_ factory: any MetricsFactory) {
        for name in ["paystream_fetcher_records_published_total", "paystream_fetcher_pages_total", "paystream_sink_records_written_total", "paystream_sink_dead_letters_total"] {
            Counter(label: name, dimensions: [("resource", "customers")], factory: factory).increment()
        }
        Counter(label: "paystream_fetcher_http_retries_total", dimensions: [("resource", "customers"), ("status", "500")], factory: factory).increment()
        Counter(label: "paystream_fetcher_syncs_total", dimensions: [("resource", "customers"), ("result", "success")], factory: factory).increment()
        Gauge(label: "paystream_fetcher_last_success_timestamp_seconds", dimensions: [("resource", "customers")], factory: factory).record(1.7e9)
        Gauge(label: "paystream_sink_lag_messages", dimensions: [("topic", "p.customers"), ("partition", "0")], factory: factory).record(3)
        Timer(label: "paystream_sink_batch_seconds", factory: factory).recordMilliseconds(12)
    }

    @Test func everyMetricHasHelpText() {
        let export = PrometheusExport()
        Self.recordEveryMetric(export.factory)
        let lines = String(decoding: export.render(), as: UTF8.self).split(separator: "\n")
        let typed = lines.filter { $0.hasPrefix("# TYPE ") }.map { $0.split(separator: " ")[2] }
        let described = Set(lines.filter { $0.hasPrefix("# HELP ") }.map { $0.split(separator: " ")[2] })
        #expect(typed.count >= 9)
        for name in typed {
            #expect(described.contains(name), "\(name) has no HELP line")
        }
    }

    @Test func theProcessMetricsAreThere() {
        let text = String(decoding: PrometheusExport().render(), as: UTF8.self)
        for name in ["process_cpu_seconds_total", "process_resident_memory_bytes", "process_virtual_memory_bytes", "process_start_time_seconds",
                     "process_open_fds", "process_max_fds"] {
            #expect(text.contains("\n\(name) ") || text.hasPrefix("\(name) ") || text.contains("# TYPE \(name) "), "\(name) missing")
        }
    }
}
