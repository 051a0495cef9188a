import Foundation
import Logging
import PaystreamBasics
import PaystreamKafka
import PaystreamMessageFormat
import PaystreamStore

/// The sink's poll → prepare → write loop. Polling and preparing (reading each record's
/// fields, key and cursor) run on this thread while the `StoreWriter`'s thread writes the
/// previous batch to SQLite. Every librdkafka and SQLite call blocks, and none of them may
/// occupy Swift's cooperative pool.
///
/// A stop (SIGTERM) ends reading at once; the writer then writes what it was handed, within
/// the stop's deadline (`SinkStop`). A stop that comes before reading began (the broker not
/// answering, the database locked while opening) ends the sink as cleanly: nothing was read.
final class SinkWorker: Sendable {
    private let configuration: SinkConfiguration
    private let logger: Logger
    private let stop: SinkStop
    let health = SinkHealth()

    init(configuration: SinkConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        stop = SinkStop(bound: configuration.stopTimeout)
    }

    func requestStop() { stop.request() }

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
        var session: SinkSession
        do {
            session = try SinkSession(configuration: configuration, stop: stop, logger: logger)
        } catch where stop.isRequested {
            logger.notice("stopped before reading anything (\(error))")
            health.stopped()
            if configuration.stopsWhenCaughtUp { throw StoppedBeforeDone(unfinished: "--until-caught-up") }
            return SinkTotals()
        }
        health.storeOpened()
        defer {
            session.close()
            health.stopped()
        }
        var progress = ProgressReporter(interval: configuration.progressInterval, logger: logger)
        var timing = StageTiming()
        let caughtUp: Bool
        do {
            caughtUp = try loop(&session, &progress, &timing)
        } catch {
            _ = try? session.writer.finish()
            throw error
        }
        let totals = try session.writer.finish()
        if configuration.stopsWhenCaughtUp, !caughtUp {
            // Everything read is in the store, but not everything up to the ends.
            progress.report(totals, lag: nil, final: true)
            throw StoppedBeforeDone(unfinished: "--until-caught-up (\(session.caughtUp.behind))")
        }
        progress.report(totals, lag: nil, final: true)
        let waits = session.writer.waits
        logger.debug("""
            pipeline: polling \(timing.reading.secondsText) s, preparing \(timing.preparing.secondsText) s, waiting for the writer \(waits.forWriter.secondsText) s; \
            the writer waited \(waits.forBatches.secondsText) s for batches
            """)
        return totals
    }

    /// Reads and hands batches to the writer until stopped; returns true when it stopped
    /// because it caught up (`stopsWhenCaughtUp`).
    private func loop(_ session: inout SinkSession, _ progress: inout ProgressReporter, _ timing: inout StageTiming) throws -> Bool {
        var lastLook = ContinuousClock.now
        var stall = StallWatch(limit: configuration.kafkaTimeout)
        while !stop.isRequested {
            if configuration.stopsWhenCaughtUp, session.caughtUp.isDone(session.consumer) {
                logger.info("caught up with the ends the partitions had at start")
                return true
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
                if configuration.stopsWhenCaughtUp, stall.isOverdue(progress: session.caughtUp.progress) {
                    throw NotCatchingUp(waited: configuration.kafkaTimeout, behind: session.caughtUp.behind)
                }
                progress.tick(session.writer.totals, lag: lag(session.consumer, assigned))
                continue
            }
            progress.batchStarted()
            let positions = try session.consumer.positions(Array(Set(batch.map(\.topicPartition))))
            session.caughtUp.advance(positions, afterMessages: true)
            let prepared = timing.measure(\.preparing) { session.preparer.prepare(batch) }
            guard session.writer.submit(.write(prepared, positions: positions, topicIDs: session.tracker.topicIDs)) else { return false }
            // The wait for the broker starts again once the batch is handed over.
            stall.restart()
            progress.tick(session.writer.totals, lag: lag(session.consumer, assigned))
        }
        return false
    }

    /// `--until-caught-up` got nothing from the broker for the Kafka timeout.
    struct NotCatchingUp: Error, CustomStringConvertible {
        var waited: Duration
        var behind: String
        var description: String {
            "--until-caught-up: nothing came from the broker for \(waited) (--broker-timeout) while partitions are not caught up: "
                + "\(behind); what was read is in the store: run it again once the broker answers"
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
