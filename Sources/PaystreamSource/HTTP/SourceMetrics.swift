import Metrics

/// The HTTP side of the fetcher's metrics (see `FetcherMetrics`): one line at each retry.
enum SourceMetrics {
    /// `status`: the HTTP status retried on, or `connection` for a connection error or timeout.
    static func retry(resource: String, status: String) {
        Counter(label: "paystream_fetcher_http_retries_total", dimensions: [("resource", resource), ("status", status)]).increment()
    }
}
