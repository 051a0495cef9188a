import Metrics
import PaystreamBasics
import PaystreamKafka
import PaystreamMessageFormat
import PaystreamStore
import Synchronization

/// The sink's metrics, recorded through swift-metrics (exported on `/metrics` when the
/// executable serves it; no-ops otherwise). The writer thread reports each committed batch;
/// the polling thread updates lag once per loop turn (throttled here).
final class SinkMetrics: Sendable {
    private let tableOfTopic: [String: String]
    private let factory: any MetricsFactory
    private let state: Mutex<State>
    private let batchSeconds: Timer

    private struct State {
        /// Next offset to write per partition: the store's at start, then each batch's.
        var positions: [TopicPartition: Int64]
        var lagGauges: [TopicPartition: Gauge] = [:]
        var lastLagUpdate = ContinuousClock.now - .seconds(10)
    }

    init(tablesByTopic: [String: TableSpec], storedOffsets: [TopicPartition: Int64], factory: any MetricsFactory = MetricsSystem.factory) {
        tableOfTopic = tablesByTopic.mapValues(\.name)
        state = Mutex(State(positions: storedOffsets))
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
        state.withLock { $0.positions.merge(summary.nextOffsets) { max($0, $1) } }
    }

    /// These partitions are read again from their start (their topic was recreated).
    func forget(_ partitions: [TopicPartition]) {
        state.withLock { s in for p in partitions { s.positions[p] = nil } }
    }

    /// Messages on the broker not yet written, per partition this sink reads, from the
    /// watermarks of the last fetch responses (no broker round trip). At most once a second.
    func updateLag(_ consumer: KafkaConsumer, _ partitions: [TopicPartition]) {
        state.withLock { s in
            guard ContinuousClock.now - s.lastLagUpdate >= .seconds(1) else { return }
            s.lastLagUpdate = .now
            var seen: Set<TopicPartition> = []
            for p in partitions {
                guard let (cachedLow, high) = consumer.cachedWatermarks(p) else { continue }
                let low = cachedLow ?? 0  // unknown without librdkafka's statistics
                seen.insert(p)
                let gauge = s.lagGauges[p] ?? Gauge(
                    label: "paystream_sink_lag_messages", dimensions: [("topic", p.topic), ("partition", String(p.partition))], factory: factory
                )
                s.lagGauges[p] = gauge
                gauge.record(max(0, high - max(s.positions[p] ?? low, low)))
            }
            // Partitions that no longer exist are not lag any more.
            for (p, gauge) in s.lagGauges where !seen.contains(p) {
                gauge.destroy()
                s.lagGauges[p] = nil
            }
        }
    }
}
