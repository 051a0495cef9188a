/// The HELP text of every metric Paystream exports, by name. swift-metrics, which the
/// libraries record through, has no place for a description, and Prometheus's checks
/// (`promtool check metrics`) want one on every metric: the export adds it from here. A
/// metric missing here is exported without HELP, and the metrics tests fail.
enum MetricHelp {
    static func text(for name: String) -> String { texts[name] ?? "" }

    private static let texts = [
        // The fetcher (README, "Metrics and probes").
        "paystream_fetcher_records_published_total": "Records handed to the producer, by resource; a sync succeeds only once the broker acknowledged every one.",
        "paystream_fetcher_pages_total": "Pages read from the API and published, by resource.",
        "paystream_fetcher_http_retries_total": "Requests to the API retried, by resource and by the HTTP status retried on (connection for connection errors and timeouts).",
        "paystream_fetcher_syncs_total": "Syncs ended, by resource and result (success or failure); every series exists from start, at 0.",
        "paystream_fetcher_last_success_timestamp_seconds": "When the resource's last successful sync ended, in Unix seconds; 0 until one succeeded.",
        // The sink.
        "paystream_sink_records_written_total": "Messages applied to the table (upserts and deletes, including older versions the newest-wins rule kept out).",
        "paystream_sink_dead_letters_total": "Messages set aside on the dead-letter topic, by table.",
        "paystream_sink_lag_messages": "Messages on the broker not yet in the store, per partition this sink reads.",
        "paystream_sink_batch_seconds": "Time to write one batch: its SQLite transaction and any dead letters.",
        // The process (ProcessMetrics), under the names Prometheus's own clients use.
        "process_cpu_seconds_total": "CPU time the process has used, user and system, in seconds.",
        "process_resident_memory_bytes": "Memory the process holds in RAM (resident set size), in bytes.",
        "process_virtual_memory_bytes": "Virtual memory the process has mapped, in bytes.",
        "process_start_time_seconds": "When the process started, in Unix seconds.",
        "process_open_fds": "File descriptors the process has open.",
        "process_max_fds": "File descriptors the process may open at most (its soft RLIMIT_NOFILE).",
    ]
}
