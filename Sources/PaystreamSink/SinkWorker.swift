import Foundation
import Logging
import PaystreamBasics
import PaystreamKafka
import PaystreamMessageFormat
import PaystreamStore
import Synchronization

/// The sink's poll → prepare → write loop. Polling and preparing (reading each record's
/// fields, key and cursor) run on this thread while the `StoreWriter`'s thread writes the
/// previous batch to SQLite. Every librdkafka and SQLite call blocks, and none of them may
/// occupy Swift's cooperative pool.
final class SinkWorker: Sendable {
    private let configuration: SinkConfiguration
    private let logger: Logger
    private let stopRequested = Atomic<Bool>(false)
    let health = SinkHealth()

    init(configuration: SinkConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    func requestStop() { stopRequested.store(true, ordering: .releasing) }

    /// Runs until stopped or, with `stopsWhenCaughtUp`, caught up. Blocks the calling thread.
    func run() throws -> SinkTotals {
        do {
            return try runSession()
        } catch {
            health.failed(error)
            throw error
        }
    }

    private func runSession() throws -> SinkTotals {
        var session = try SinkSession(configuration: configuration, logger: logger)
        health.storeOpened()
        defer {
            session.close()
            health.stopped()
        }
        var progress = ProgressReporter(interval: configuration.progressInterval, logger: logger)
        var timing = StageTiming()
        do {
            try loop(&session, &progress, &timing)
        } catch {
            _ = try? session.writer.finish()
            throw error
        }
        let totals = try session.writer.finish()
        progress.report(totals, lag: nil, final: true)
        let waits = session.writer.waits
        logger.debug("""
            pipeline: polling \(timing.reading.secondsText) s, preparing \(timing.preparing.secondsText) s, waiting for the writer \(waits.forWriter.secondsText) s; \
            the writer waited \(waits.forBatches.secondsText) s for batches
            """)
        return totals
    }

    private func loop(_ session: inout SinkSession, _ progress: inout ProgressReporter, _ timing: inout StageTiming) throws {
        var lastLook = ContinuousClock.now
        while !stopRequested.load(ordering: .acquiring) {
            if configuration.stopsWhenCaughtUp, session.caughtUp.isDone(session.consumer) {
                logger.info("caught up with the ends the partitions had at start")
                return
            }
            if ContinuousClock.now - lastLook >= configuration.metadataInterval {
                try session.refreshPartitions()
                lastLook = .now
            }
            try session.rereadPartitionsOutOfRange()
            let batch = try timing.measure(\.reading) { try nextBatch(session.consumer) }
            let assigned = session.tracker.partitions
            session.metrics.updateLag(session.consumer, assigned)
            guard !batch.isEmpty else {
                // Transaction markers at a partition's end move the position without a message.
                session.caughtUp.advance(try session.consumer.positions(assigned), afterMessages: false)
                progress.tick(session.writer.totals, lag: lag(session.consumer, assigned))
                continue
            }
            progress.batchStarted()
            let positions = try session.consumer.positions(Array(Set(batch.map(\.topicPartition))))
            session.caughtUp.advance(positions, afterMessages: true)
            let prepared = timing.measure(\.preparing) { session.preparer.prepare(batch) }
            guard session.writer.submit(.write(prepared, positions: positions, topicIDs: session.tracker.topicIDs)) else { return }
            progress.tick(session.writer.totals, lag: lag(session.consumer, assigned))
        }
    }

    /// Room reserved for a batch up front (the default batch size); larger ones grow.
    static let reservedBatchCapacity = 20_000

    /// Polls until a batch limit (messages, bytes, time) is reached or nothing more is ready.
    private func nextBatch(_ consumer: KafkaConsumer) throws -> [KafkaConsumedMessage] {
        let limit = configuration.batchMaximumMessages
        var batch: [KafkaConsumedMessage] = []
        // `--batch-size` is a limit, not an allocation: any Int is accepted there.
        batch.reserveCapacity(min(limit, Self.reservedBatchCapacity))
        var bytes = try consumer.poll(into: &batch, maximumMessages: limit, timeout: .milliseconds(100))
        guard !batch.isEmpty else { return batch }
        let started = ContinuousClock.now
        while batch.count < limit, bytes < configuration.batchMaximumBytes, ContinuousClock.now - started < configuration.batchMaximumTime {
            let before = batch.count
            bytes += try consumer.poll(into: &batch, maximumMessages: limit - batch.count, timeout: .milliseconds(5))
            if batch.count == before { break }
        }
        return batch
    }

    /// Messages on the broker not yet read, over every partition (from the last fetch
    /// responses; no broker round trip). Only computed when a report is due.
    private func lag(_ consumer: KafkaConsumer, _ partitions: [TopicPartition]) -> () -> Int64? {
        {
            guard let positions = try? consumer.positions(partitions) else { return nil }
            return partitions.reduce(Int64(0)) { total, p in
                guard let high = consumer.cachedWatermarks(p)?.high else { return total }
                return total + max(0, high - (positions[p] ?? 0))
            }
        }
    }
}

/// Where the polling thread's time goes, for the debug log: it tells whether reading,
/// preparing or the writer limits the sink.
struct StageTiming {
    var reading: Duration = .zero
    var preparing: Duration = .zero

    mutating func measure<T>(_ stage: WritableKeyPath<StageTiming, Duration>, _ body: () throws -> T) rethrows -> T {
        let started = ContinuousClock.now
        defer { self[keyPath: stage] += .now - started }
        return try body()
    }
}
