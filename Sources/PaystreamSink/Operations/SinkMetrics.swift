import Metrics
import PaystreamKafka
import PaystreamStore

/// The sink's metrics, recorded through swift-metrics (exported on `/metrics` when the
/// executable serves it; no-ops otherwise). The worker calls it at two places: after each
/// committed batch and once per loop turn for lag (throttled here).
final class SinkMetrics {
    private let tableOfTopic: [String: String]
    private let factory: any MetricsFactory
    /// Next offset to write per partition: the store's at start, then each batch's.
    private var positions: [StorePartition: Int64]
    private var lagGauges: [StorePartition: Gauge] = [:]
    private var lastLagUpdate = ContinuousClock.now - .seconds(10)
    private let batchSeconds: Timer

    init(tablesByTopic: [String: TableSpec], storedOffsets: [StorePartition: Int64], factory: any MetricsFactory = MetricsSystem.factory) {
        tableOfTopic = tablesByTopic.mapValues(\.name)
        positions = storedOffsets
        self.factory = factory
        batchSeconds = Timer(label: "paystream_sink_batch_seconds", factory: factory)
    }

    /// A batch committed to the store: per table, messages applied (upserts and deletes,
    /// including versions the newest-wins rule kept out) and messages dead-lettered.
    func batchWritten(_ batch: [some StoreMessage], _ summary: WriteSummary, since started: ContinuousClock.Instant) {
        batchSeconds.recordNanoseconds((ContinuousClock.now - started).nanoseconds)
        var messages: [String: Int] = [:]
        var previousTopic = ""
        var run = 0
        for message in batch {
            if message.topic != previousTopic {
                if run > 0 { messages[previousTopic, default: 0] += run }
                previousTopic = message.topic
                run = 0
            }
            run += 1
        }
        if run > 0 { messages[previousTopic, default: 0] += run }
        var rejected: [String: Int] = [:]
        for r in summary.rejected { rejected[batch[r.index].topic, default: 0] += 1 }
        for (topic, count) in messages {
            let table = [("table", tableOfTopic[topic] ?? topic)]
            let bad = rejected[topic] ?? 0
            if count > bad { Counter(label: "paystream_sink_records_written_total", dimensions: table, factory: factory).increment(by: count - bad) }
            if bad > 0 { Counter(label: "paystream_sink_dead_letters_total", dimensions: table, factory: factory).increment(by: bad) }
        }
        positions.merge(summary.nextOffsets) { max($0, $1) }
    }

    /// Messages on the broker not yet written, per partition this sink reads, from the
    /// watermarks of the last fetch responses (no broker round trip). At most once a second.
    func updateLag(_ consumer: KafkaConsumer) {
        guard ContinuousClock.now - lastLagUpdate >= .seconds(1), let assignment = try? consumer.assignment() else { return }
        lastLagUpdate = .now
        var seen: Set<StorePartition> = []
        for tp in assignment {
            guard let (low, high) = consumer.cachedWatermarks(tp) else { continue }
            let p = StorePartition(topic: tp.topic, partition: tp.partition)
            seen.insert(p)
            let gauge = lagGauges[p] ?? Gauge(
                label: "paystream_sink_lag_messages", dimensions: [("topic", tp.topic), ("partition", String(tp.partition))], factory: factory
            )
            lagGauges[p] = gauge
            gauge.record(max(0, high - max(positions[p] ?? low, low)))
        }
        // Partitions that moved to another sink are not this one's lag any more.
        for (p, gauge) in lagGauges where !seen.contains(p) {
            gauge.destroy()
            lagGauges[p] = nil
        }
    }
}

extension Duration {
    fileprivate var nanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
}
