import Logging
import PaystreamKafka
import PaystreamMessageFormat

/// Exactly once: the unit's records and its checkpoint commit in one Kafka transaction, by
/// a producer whose transactional id belongs to the unit. A newer owner's
/// `initTransactions` fences this one: nothing it sends afterwards becomes visible, and it
/// cannot commit a checkpoint. Every call on the broker is bounded (the broker timeout, or
/// a commit's own bound), so a session never outlives its broker by more than that.
final class TransactionalSession: PublishSession {
    private let producer: KafkaProducer
    /// The open transaction's deliveries; nil when no transaction is open.
    private var tracker: DeliveryTracker?
    /// A newer owner fenced this producer: its transaction is already over.
    private var isFenced = false
    private let abortTimeout: Duration
    let isTransactional = true

    init(transactionalID: String, configuration: FetcherConfiguration, logger: Logger) throws {
        var producerConfig = KafkaProducerConfiguration(client: configuration.kafka)
        producerConfig.transactionalID = transactionalID
        producer = try KafkaProducer(configuration: producerConfig, logger: logger)
        abortTimeout = configuration.abortTimeout
    }

    func claim(state: StateTopicLayout, partition: Int32, key: String, value: [UInt8]) async throws -> Int64 {
        try await producer.initTransactions()
        try await begin()
        let claim = DeliveryTracker(keepsReports: true)
        try await producer.send(topic: state.topic, partition: partition, key: Array(key.utf8), value: value, tracker: claim)
        try await commitOpenTransaction(timeout: producer.brokerTimeout)
        let summary = await claim.waitForAll()
        try noting(summary.firstErrors.first)
        return summary.reports[0].offset
    }

    func send(topic: String, key: [UInt8], value: ArraySlice<UInt8>, headers: [KafkaHeader]) async throws {
        if tracker == nil { try await begin() }
        try await notingFences { try await producer.send(topic: topic, key: key, value: value, headers: headers, tracker: tracker!) }
    }

    func commit(
        topic: String, state: StateTopicLayout, partition: Int32, _ bound: CommitBound,
        checkpoint: ([Int32: Int64]) throws -> (key: String, value: [UInt8])
    ) async throws {
        if tracker == nil { try await begin() }
        let tracker = self.tracker!
        let started = ContinuousClock.now
        let deadline = bound.deadline(brokerTimeout: producer.brokerTimeout)
        // The records first: their offsets go into the checkpoint.
        guard let records = await bound.waitForDeliveries(tracker, until: deadline) else {
            if Task.isCancelled, ContinuousClock.now < deadline { throw CancellationError() }
            throw CommitTimeout(timeout: deadline - started, waitingFor: "the broker to acknowledge the transaction's records")
        }
        try noting(records.firstErrors.first)
        var next: [Int32: Int64] = [:]
        for (tp, offset) in records.nextOffsets where tp.topic == topic { next[tp.partition] = offset }
        let (key, value) = try checkpoint(next)
        try await producer.send(topic: state.topic, partition: partition, key: Array(key.utf8), value: value, tracker: tracker)
        try await commitOpenTransaction(timeout: bound.commitCallTimeout(until: deadline))
    }

    func abandon() async {
        guard tracker != nil else { return }
        tracker = nil
        if !isFenced, (try? await producer.abortTransaction(timeout: abortTimeout)) != nil { return }
        // Fenced, or the broker did not answer in time: nothing here can be committed any
        // more; drop what is still queued or in flight so that nothing waits on it.
        await producer.purge()
    }

    func close() async {
        await abandon()
    }

    private func begin() async throws {
        try await notingFences { try await producer.beginTransaction() }
        tracker = DeliveryTracker(tracksOffsets: true)
    }

    private func commitOpenTransaction(timeout: Duration) async throws {
        guard let tracker else { return }
        try await notingFences { try await producer.commitTransaction(timeout: timeout) }
        self.tracker = nil
        try noting(await tracker.waitForAll().firstErrors.first)
    }

    /// Throws a delivery's failure; one that says a newer owner fenced this producer as the
    /// fencing it is, so the worker lets go instead of claiming the unit again.
    private func noting(_ failure: KafkaError?) throws {
        guard let failure else { return }
        guard failure.isFencing else { throw failure }
        isFenced = true
        throw KafkaTransactionError.fenced(failure)
    }

    private func notingFences(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as KafkaTransactionError {
            if case .fenced = error { isFenced = true }
            throw error
        }
    }
}
