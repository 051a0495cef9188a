import PaystreamKafka

/// At least once, without transactions (a fetcher outside a group, by default): records
/// go out on the fetcher's shared idempotent producer, and a checkpoint is written only
/// after the broker acknowledged every record before it. After a crash the next run
/// resumes at the last checkpoint and may publish the records after it again.
final class AtLeastOnceSession: PublishSession {
    private let shared: SharedProducer
    private let producer: KafkaProducer
    private var tracker = DeliveryTracker()
    let isTransactional = false

    init(producer shared: SharedProducer) throws {
        self.shared = shared
        producer = try shared.current()
    }

    func claim(state: StateTopicLayout, partition: Int32, key: String, value: [UInt8]) async throws -> Int64 {
        do {
            return try await producer.sendAndWait(topic: state.topic, partition: partition, key: Array(key.utf8), value: value).offset
        } catch let error as KafkaError {
            throw refused(error)
        }
    }

    func send(topic: String, key: [UInt8], value: ArraySlice<UInt8>, headers: [KafkaHeader]) async throws {
        try await producer.send(topic: topic, key: key, value: value, headers: headers, tracker: tracker)
    }

    func commit(
        topic: String, state: StateTopicLayout, partition: Int32, _ bound: CommitBound,
        checkpoint: ([Int32: Int64]) throws -> (key: String, value: [UInt8])
    ) async throws {
        // The records' tracker is replaced only once they are acknowledged: a commit that
        // fails leaves them pending, and no later commit of this session can pass them.
        let sent = tracker
        let started = ContinuousClock.now
        let deadline = bound.deadline(brokerTimeout: producer.brokerTimeout)
        guard let summary = await bound.waitForDeliveries(sent, until: deadline) else {
            if Task.isCancelled, ContinuousClock.now < deadline { throw CancellationError() }
            throw CommitTimeout(timeout: deadline - started, waitingFor: "the broker to acknowledge the records")
        }
        if let error = summary.firstErrors.first { throw refused(error) }
        tracker = DeliveryTracker()
        let (key, value) = try checkpoint([:])
        let written = DeliveryTracker(keepsReports: true)
        try await producer.send(topic: state.topic, partition: partition, key: Array(key.utf8), value: value, tracker: written)
        guard let report = await bound.waitForDeliveries(written, until: deadline) else {
            if Task.isCancelled, ContinuousClock.now < deadline { throw CancellationError() }
            throw CommitTimeout(timeout: deadline - started, waitingFor: "the broker to acknowledge the checkpoint")
        }
        if let error = report.firstErrors.first { throw refused(error) }
    }

    /// A delivery's failure, after the shared producer was replaced if the broker refused it.
    private func refused(_ error: KafkaError) -> KafkaError {
        shared.retire(producer, after: error)
        return error
    }

    /// Records already sent cannot be taken back, and the checkpoint before them stays: the
    /// next run sends them again. Nothing waits for them here; the shared producer delivers
    /// or purges them when it closes.
    func abandon() async {
        tracker = DeliveryTracker()
    }

    func close() async {
        await abandon()
    }
}
