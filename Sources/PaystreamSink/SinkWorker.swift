import Foundation
import Logging
import PaystreamKafka
import PaystreamStore
import Synchronization

/// The sink's poll → write → commit loop. It runs on its own thread: every librdkafka and
/// SQLite call in it blocks, and none of them may occupy Swift's cooperative pool.
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
        let tables = try configuration.tablesByTopic()
        let store = try RecordStore(path: configuration.databasePath, tablesByTopic: tables, options: configuration.storeOptions, logger: logger)
        health.storeOpened()
        defer { health.stopped() }
        if configuration.resetsStoredOffsets {
            let stored = try store.storedOffsets()
            try store.deleteOffsets(Array(stored.keys))
            logger.notice("forgot the stored offsets of \(stored.count) partition(s): every partition is read again from its beginning")
        }
        let topics = tables.keys.sorted()
        var consumerConfig = KafkaConsumerConfiguration(client: configuration.kafka, groupID: configuration.groupID)
        consumerConfig.sessionTimeout = configuration.sessionTimeout
        // The store needs keys and values only; dead letters carry their origin instead.
        consumerConfig.readsHeaders = false
        let probe = try KafkaConsumer(configuration: consumerConfig, logger: logger)
        let partitions = try listPartitions(probe, topics)
        let ends = try probe.endOffsets(partitions, timeout: .seconds(30))
        let startOffsets = try StoredOffsetCheck(store: store, consumer: probe, logger: logger).validOffsets(ends: ends)
        try probe.close()
        // Partitions with messages at start, and where they ended then.
        let targets = configuration.stopsWhenCaughtUp
            ? Dictionary(uniqueKeysWithValues: ends.filter { $0.value > 0 }.map { (StorePartition(topic: $0.key.topic, partition: $0.key.partition), $0.value) })
            : [:]

        let rebalance = SinkRebalanceHandler(startOffsets: startOffsets)
        let metrics = SinkMetrics(tablesByTopic: tables, storedOffsets: startOffsets)
        let consumer = try KafkaConsumer(configuration: consumerConfig, rebalanceHandler: rebalance, logger: logger)
        let deadLetters = try DeadLetterPublisher(configuration: configuration, logger: logger)
        defer { deadLetters.close() }
        try consumer.subscribe(topics: topics)
        logger.info("consuming \(topics.joined(separator: ", ")) into \(configuration.databasePath)", metadata: ["kafka.group": "\(configuration.groupID)"])

        var totals = SinkTotals()
        var progress = ProgressReporter(interval: configuration.progressInterval, logger: logger)
        var caughtUp = CaughtUpCheck(targets: targets, written: startOffsets)
        do {
            while !stopRequested.load(ordering: .acquiring) {
                if configuration.stopsWhenCaughtUp, try caughtUp.isDone(consumer: consumer) {
                    logger.info("caught up with the high-water marks seen at start")
                    break
                }
                let batch = try nextBatch(consumer, rebalance)
                metrics.updateLag(consumer)
                guard !batch.isEmpty else {
                    progress.tick(totals, consumer: consumer)
                    continue
                }
                progress.batchStarted()
                let writeStarted = ContinuousClock.now
                let summary = try store.write(batch) { rejected in
                    try deadLetters.publish(rejected.map { (batch[$0.index], $0.reason) })
                }
                metrics.batchWritten(batch, summary, since: writeStarted)
                totals.add(summary, messages: batch.count)
                if let n = configuration.crashAfterBatchesForTesting, totals.batches >= n { kill(getpid(), SIGKILL) }
                rebalance.advance(summary.nextOffsets)
                caughtUp.wrote(summary.nextOffsets)
                commitToKafka(consumer, summary.nextOffsets)
                progress.tick(totals, consumer: consumer)
            }
        } catch {
            health.failed(error)
            try? consumer.close()
            throw error
        }
        try consumer.close()
        progress.report(totals, consumer: nil, final: true)
        return totals
    }

    /// Polls until a batch limit (messages, bytes, time) is reached or nothing more is ready.
    private func nextBatch(_ consumer: KafkaConsumer, _ rebalance: SinkRebalanceHandler) throws -> [KafkaConsumedMessage] {
        var batch = try consumer.poll(maxMessages: configuration.batchMaximumMessages, timeout: .milliseconds(100))
        guard !batch.isEmpty else { return batch }
        let started = ContinuousClock.now
        var bytes = batch.reduce(0) { $0 + ($1.value?.count ?? 0) }
        while batch.count < configuration.batchMaximumMessages, bytes < configuration.batchMaximumBytes,
              ContinuousClock.now - started < configuration.batchMaximumTime, !rebalance.takeRevoked() {
            let more = try consumer.poll(maxMessages: configuration.batchMaximumMessages - batch.count, timeout: .milliseconds(5))
            if more.isEmpty { break }
            bytes += more.reduce(0) { $0 + ($1.value?.count ?? 0) }
            batch += more
        }
        return batch
    }

    /// Kafka's committed offsets are for lag monitoring and other tools; the store's own
    /// offsets are what the sink resumes from, so a failed commit here loses nothing.
    private func commitToKafka(_ consumer: KafkaConsumer, _ offsets: [StorePartition: Int64]) {
        do {
            try consumer.commit(Dictionary(uniqueKeysWithValues: offsets.map { (KafkaTopicPartition(topic: $0.topic, partition: $0.partition), $1) }))
        } catch {
            logger.warning("offset commit to Kafka failed (the store has the offsets; will commit again after the next batch): \(error)")
        }
    }

    private func listPartitions(_ consumer: KafkaConsumer, _ topics: [String]) throws -> [KafkaTopicPartition] {
        let counts = try consumer.partitionCounts(topics, timeout: .seconds(10))
        for topic in topics where counts[topic] == nil {
            logger.warning("topic \(topic) does not exist yet; its table stays empty until the fetcher creates it")
        }
        return counts.flatMap { topic, n in (0..<n).map { KafkaTopicPartition(topic: topic, partition: Int32($0)) } }.sorted()
    }

}
/// Counts for the progress log and the exit summary.
struct SinkTotals: Sendable {
    var batches = 0
    var messages = 0
    var upserted = 0
    var deleted = 0
    var deadLettered = 0

    mutating func add(_ summary: WriteSummary, messages: Int) {
        self.messages += messages
        batches += 1
        upserted += summary.upserted
        deleted += summary.deleted
        deadLettered += summary.rejected.count
    }
}
