import Prometheus
@testable import PaystreamSink
@testable import PaystreamStore
import Testing

@Suite struct SinkMetricsTests {
    struct Message: StoreMessage {
        var topic: String
        var partition: Int32
        var offset: Int64
        var key: [UInt8]? = Array("k".utf8)
        var value: [UInt8]? = Array("{}".utf8)
    }

    @Test func countsWrittenAndDeadLetteredMessagesPerTableAndTimesTheBatch() {
        let registry = PrometheusCollectorRegistry()
        let metrics = SinkMetrics(
            tablesByTopic: ["p.customers": TableSpec(name: "customers", primaryKey: ["id"]), "p.refunds": TableSpec(name: "refund_rows", primaryKey: ["id"])],
            storedOffsets: [:], factory: PrometheusMetricsFactory(registry: registry)
        )
        // Topics interleaved, as a batch from several partitions arrives.
        let batch = [
            Message(topic: "p.customers", partition: 0, offset: 0), Message(topic: "p.customers", partition: 0, offset: 1),
            Message(topic: "p.refunds", partition: 1, offset: 7), Message(topic: "p.customers", partition: 2, offset: 4),
            Message(topic: "p.refunds", partition: 1, offset: 8),
        ]
        var summary = WriteSummary()
        summary.rejected = [RejectedMessage(index: 4, reason: "not JSON")]
        metrics.batchWritten(batch, summary, since: .now)
        metrics.batchWritten([Message(topic: "p.refunds", partition: 0, offset: 0)], WriteSummary(), since: .now)

        let text = registry.emitToString()
        #expect(text.contains(#"paystream_sink_records_written_total{table="customers"} 3"#))
        #expect(text.contains(#"paystream_sink_records_written_total{table="refund_rows"} 2"#))
        #expect(text.contains(#"paystream_sink_dead_letters_total{table="refund_rows"} 1"#))
        #expect(!text.contains(#"paystream_sink_dead_letters_total{table="customers"}"#))
        #expect(text.contains("paystream_sink_batch_seconds_count 2"))
    }
}
