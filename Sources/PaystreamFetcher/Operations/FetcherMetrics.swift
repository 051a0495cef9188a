import Foundation
import Metrics

/// The fetcher's metrics, recorded through swift-metrics (exported on `/metrics` when the
/// executable serves it; no-ops otherwise). Every call site is one line, so the hooks move
/// easily with the code around them. Label names are fixed per metric, as Prometheus wants.
public enum FetcherMetrics {
    /// Every resource's series, at 0, before any sync: a resource that never succeeded shows
    /// as `paystream_fetcher_last_success_timestamp_seconds == 0` rather than as no series at
    /// all, and `increase()` sees the first page and the first failure. Call once the metrics
    /// backend is set up.
    public static func start(resources: [String]) {
        for resource in resources {
            let dimensions = [("resource", resource)]
            Gauge(label: "paystream_fetcher_last_success_timestamp_seconds", dimensions: dimensions).record(0)
            for outcome in ["success", "failure"] {
                _ = Counter(label: "paystream_fetcher_syncs_total", dimensions: dimensions + [("result", outcome)])
            }
            _ = Counter(label: "paystream_fetcher_pages_total", dimensions: dimensions)
            _ = Counter(label: "paystream_fetcher_records_published_total", dimensions: dimensions)
        }
    }

    /// One page's records handed to the producer. The sync's end waits for every
    /// acknowledgement; a failed delivery fails the sync (`paystream_fetcher_syncs_total`).
    static func pagePublished(resource: String, records: Int) {
        let dimensions = [("resource", resource)]
        Counter(label: "paystream_fetcher_pages_total", dimensions: dimensions).increment()
        Counter(label: "paystream_fetcher_records_published_total", dimensions: dimensions).increment(by: records)
    }

    /// A unit's round (a resource's sync, or one slice of it) ended; a success also moves
    /// the resource's last-success time.
    static func syncFinished(resource: String, succeeded: Bool, at time: Date = Date()) {
        let outcome = succeeded ? "success" : "failure"
        Counter(label: "paystream_fetcher_syncs_total", dimensions: [("resource", resource), ("result", outcome)]).increment()
        if succeeded {
            Gauge(label: "paystream_fetcher_last_success_timestamp_seconds", dimensions: [("resource", resource)])
                .record(time.timeIntervalSince1970)
        }
    }
}
