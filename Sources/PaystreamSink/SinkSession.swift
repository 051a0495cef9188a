import Logging
import PaystreamKafka
import PaystreamStore
import PaystreamMessageFormat

/// Everything a running sink holds, set up in order: the store file's lock (one writer per
/// file), the store, the consumer with every partition of the topics assigned where the
/// store left off, the dead-letter producer, and the writer thread, which takes the store.
/// The session itself belongs to the polling thread.
struct SinkSession {
    let lock: StoreLock
    /// Reads batches on the polling thread; the store itself belongs to the writer thread.
    let preparer: BatchPreparer
    /// Owned by the polling thread, like this session.
    let consumer: KafkaConsumer
    let writer: StoreWriter
    let deadLetters: DeadLetterPublisher
    let metrics: SinkMetrics
    var tracker: PartitionTracker
    /// The store's checkpoints as read at start, for partitions that appear later;
    /// partitions whose offsets the store forgot since are removed.
    var checkpoints: [TopicPartition: PartitionCheckpoint]
    var caughtUp: CaughtUpCheck
    let starts: PartitionStarts
    private let configuration: SinkConfiguration
    private let stop: SinkStop
    private let logger: Logger

    /// Every wait on the broker here ends after the Kafka timeout, and the one that waits
    /// for an unreachable broker (describing the topics) as soon as a stop is requested.
    init(configuration: SinkConfiguration, stop: SinkStop, logger: Logger) throws {
        self.configuration = configuration
        self.stop = stop
        self.logger = logger
        let started = ContinuousClock.now
        lock = try StoreLock(databasePath: configuration.databasePath)
        let tables = try configuration.tablesByTopic()
        var storeOptions = configuration.storeOptions
        storeOptions.givesUpWaiting = { stop.deadlineHasPassed }
        // Opened by the name the lock resolved, the one every name of the file leads to.
        let store = try RecordStore(path: lock.databasePath, tablesByTopic: tables, options: storeOptions, logger: logger)
        preparer = store.preparer
        if configuration.resetsStoredOffsets {
            let stored = try store.checkpoints()
            try store.forget(Array(stored.keys))
            logger.notice("forgot the stored offsets of \(stored.count) partition(s): every partition is read again from its beginning")
        }
        checkpoints = try store.checkpoints()
        let storeOpened = ContinuousClock.now

        let consumerConfiguration = configuration.consumerConfiguration
        consumer = try KafkaConsumer(configuration: consumerConfiguration, logger: logger)
        starts = PartitionStarts(logger: logger, timeout: configuration.kafkaTimeout) {
            try KafkaPartitionReader(configuration: consumerConfiguration, logger: logger)
        }
        tracker = PartitionTracker(topics: tables.keys.sorted(), ignoresTopicIDs: configuration.testing.ignoresTopicIDs)
        let changes = tracker.update(try consumer.describeTopics(tracker.topics, timeout: configuration.kafkaTimeout, giveUp: { stop.isRequested }))
        for topic in tracker.topics where tracker.described[topic] == nil {
            logger.warning("topic \(topic) does not exist yet; the sink reads it once it appears")
        }
        let (offsets, stale) = try starts.resolve(changes.added, described: tracker.described, checkpoints: checkpoints)
        try store.forget(stale)
        for p in stale { checkpoints[p] = nil }
        caughtUp = CaughtUpCheck(starts: offsets)
        // Leaders known before assigning: else librdkafka waits half a second to look up
        // where partitions start.
        _ = try consumer.partitionCounts(tracker.topics, timeout: configuration.kafkaTimeout)
        try consumer.assign(offsets)
        let assigned = ContinuousClock.now
        deadLetters = try DeadLetterPublisher(configuration: configuration, stop: stop, logger: logger)
        metrics = SinkMetrics(tablesByTopic: tables, storedOffsets: checkpoints.mapValues(\.nextOffset))
        // The store moves to the writer thread: nothing here can reach it any more.
        writer = StoreWriter(
            store: store, deadLetters: deadLetters, committer: consumer.offsetCommitter, metrics: metrics,
            configuration: configuration, stop: stop, logger: logger
        )
        logger.info("reading \(TopicPartition.summary(changes.added)) into \(configuration.databasePath)",
                    metadata: ["kafka.group": "\(configuration.groupID)"])
        logger.debug("set up: store \(storeOpened - started), partitions \(assigned - storeOpened), dead-letter topic \(.now - assigned)")
    }

    /// Looks at the topics again: starts reading partitions that appeared, re-reads those
    /// of topics recreated since, drops those that are gone. A broker that does not answer
    /// only delays this to the next look (it waits at most 10 s, and not at all once the
    /// sink is stopping).
    mutating func refreshPartitions() throws {
        let described: [String: KafkaTopicDescription]
        let stop = self.stop
        do {
            described = try consumer.describeTopics(tracker.topics, timeout: min(configuration.kafkaTimeout, .seconds(10)), giveUp: { stop.isRequested })
        } catch where stop.isRequested {
            return
        } catch {
            logger.warning("could not look for new partitions (will look again): \(error)")
            return
        }
        let changes = tracker.update(described)
        guard !changes.isEmpty else { return }
        if !changes.recreated.isEmpty {
            logger.warning("topics recreated while the sink ran (new topic ids): reading \(TopicPartition.summary(changes.recreated)) again from the beginning")
            try reread(changes.recreated)
            caughtUp.forget(changes.recreated)
        }
        if !changes.removed.isEmpty {
            logger.warning("partitions no longer exist: \(TopicPartition.summary(changes.removed))")
            try consumer.removePartitions(changes.removed)
            try forget(changes.removed)
        }
        if !changes.added.isEmpty {
            let (offsets, stale) = try starts.resolve(changes.added, described: tracker.described, checkpoints: checkpoints)
            try forget(stale)
            logger.info("new partitions: \(TopicPartition.summary(changes.added))")
            try consumer.addPartitions(offsets)
        }
    }

    /// Partitions whose position was out of range: their topic was recreated (and is
    /// shorter than the stored offset), or retention removed messages the store had not read.
    mutating func rereadPartitionsOutOfRange() throws {
        let outOfRange = consumer.takeOutOfRangePartitions().sorted()
        guard !outOfRange.isEmpty else { return }
        logger.warning("offsets out of range (the topic was recreated, or retention removed messages not yet read): reading \(TopicPartition.summary(outOfRange)) again from the first message there")
        try reread(outOfRange)
        caughtUp.restart(outOfRange)
    }

    private mutating func reread(_ partitions: [TopicPartition]) throws {
        try forget(partitions)
        try consumer.seek(Dictionary(uniqueKeysWithValues: partitions.map { ($0, .beginning) }))
    }

    /// The store forgets these partitions' offsets, in order with the batches before.
    private mutating func forget(_ partitions: [TopicPartition]) throws {
        guard !partitions.isEmpty else { return }
        for p in partitions { checkpoints[p] = nil }
        guard writer.submit(.forget(partitions)) else { throw WriterStopped() }
    }

    struct WriterStopped: Error {}

    func close() {
        let started = ContinuousClock.now
        deadLetters.close()
        let producerClosed = ContinuousClock.now
        try? consumer.close()
        logger.debug("closed the dead-letter producer in \(producerClosed - started), the consumer in \(.now - producerClosed)")
    }
}
