import Dispatch
import Logging
import PaystreamKafka
import PaystreamMessageFormat
import Synchronization

/// Sets aside messages the store cannot use, on the dead-letter topic, with headers that
/// say what was wrong and where the message came from. `publish` returns only once the
/// broker acknowledged them, so the batch that skips them commits only after that. It waits
/// at most the Kafka timeout, and when the sink is stopping only until the stop's deadline:
/// then it throws, and the batch is rolled back (read again at the next start).
///
/// A dead letter the broker would refuse as too large (the original plus these headers)
/// is cut to fit, with a header giving its original size: it still points at the whole
/// message by its origin, and one oversized message cannot halt the sink for ever.
final class DeadLetterPublisher: Sendable {
    /// Made when the first dead letter comes: most runs have none, and an idle producer
    /// takes a second to close.
    private let producer = Mutex<KafkaProducer?>(nil)
    private let producerConfiguration: KafkaProducerConfiguration
    private let topic: String
    private let kafkaTimeout: Duration
    private let stop: SinkStop
    private let logger: Logger

    /// What is kept of a value the broker refused even after cutting it to the producer's limit.
    static let refusedValueBytes = 1024

    init(configuration: SinkConfiguration, stop: SinkStop, logger: Logger) throws {
        var producerConfiguration = KafkaProducerConfiguration(client: configuration.kafka)
        // The batch (and SQLite's write lock) waits on these acknowledgements: fail fast.
        producerConfiguration.messageTimeout = configuration.kafkaTimeout
        self.producerConfiguration = producerConfiguration
        topic = configuration.deadLetterTopic
        kafkaTimeout = configuration.kafkaTimeout
        self.stop = stop
        self.logger = logger
        // Create the topic up front: a broker without auto-creation would otherwise fail
        // the first batch that holds a bad message, on every restart.
        let admin = try KafkaAdmin(configuration: configuration.kafka, logger: logger)
        let topic = self.topic, timeout = configuration.kafkaTimeout
        let created: Result<[String], any Error> = blockingWait(giveUp: { stop.isRequested }) {
            do { return .success(try await admin.createTopics([KafkaNewTopic(name: topic, partitions: 1)], timeout: timeout)) } catch { return .failure(error) }
        }
        _ = try created.get()
    }

    /// Blocks the calling (writer) thread until every message is acknowledged; throws if
    /// any could not be, which rolls back the batch.
    func publish(_ messages: [(KafkaConsumedMessage, String)]) throws {
        guard !messages.isEmpty else { return }
        for (m, reason) in messages {
            logger.warning("message set aside on \(topic): \(reason)", metadata: ["kafka.topic": "\(m.topic)", "kafka.partition": "\(m.partition)", "kafka.offset": "\(m.offset)"])
        }
        let limit = try openProducer().maximumMessageBytes
        var letters = messages.map { DeadLetter($0.0, reason: $0.1).fitting(limit) }
        var refused = try send(letters)
        if !refused.isEmpty {
            // The broker's own limit is lower than the producer's: keep only the value's start.
            letters = refused.map { letters[$0].fitting(Self.refusedValueBytes + letters[$0].overhead) }
            refused = try send(letters)
            if let first = refused.first { throw KafkaError(operation: "set aside a message the broker refuses as too large", code: "MSG_SIZE_TOO_LARGE", reason: "even cut to \(letters[first].value.count) bytes", topic: topic) }
        }
        for letter in letters {
            guard let originalSize = letter.originalSize else { continue }
            logger.warning("dead letter cut to \(letter.value.count) of \(originalSize) bytes to fit the broker's message size limit",
                           metadata: ["kafka.topic": "\(letter.origin.topic)", "kafka.offset": "\(letter.origin.offset)"])
        }
    }

    /// Sends and waits; returns the indices the broker refused as too large, throws on any
    /// other failure, or when the sink's stop deadline passes first.
    private func send(_ letters: [DeadLetter]) throws -> [Int] {
        let producer = try openProducer(), topic = self.topic, stop = self.stop
        let outcome = blockingWait(giveUp: { stop.deadlineHasPassed }) {
            let trackers = letters.map { _ in DeliveryTracker() }
            var summaries: [DeliveryTracker.Summary] = []
            do {
                for (letter, tracker) in zip(letters, trackers) {
                    try await producer.send(topic: topic, key: letter.origin.key ?? [], value: letter.value, headers: letter.headers, tracker: tracker)
                }
            } catch {
                for tracker in trackers { _ = await tracker.waitForAll() }
                return Result<[DeliveryTracker.Summary], any Error>.failure(error)
            }
            for tracker in trackers { summaries.append(await tracker.waitForAll()) }
            return .success(summaries)
        }
        if case .failure(let error) = outcome, error is Abandoned {
            throw Unacknowledged(count: letters.count, topic: topic)
        }
        var refused: [Int] = []
        for (i, summary) in try outcome.get().enumerated() {
            guard let error = summary.firstErrors.first else { continue }
            guard ["MSG_SIZE_TOO_LARGE", "RECORD_LIST_TOO_LARGE"].contains(error.code) else { throw error }
            refused.append(i)
        }
        return refused
    }

    private func openProducer() throws -> KafkaProducer {
        try producer.withLock { existing in
            if let existing { return existing }
            let created = try KafkaProducer(configuration: producerConfiguration, logger: logger)
            existing = created
            return created
        }
    }

    /// Flushes what is queued, for at most the Kafka timeout, and once the sink is stopping
    /// for at most a second past the stop's deadline; what is still unacknowledged then is
    /// dropped (logged by the producer).
    func close() {
        guard let producer = producer.withLock({ $0 }) else { return }
        let flush = max(.zero, stop.waitEnd(kafkaTimeout) + (stop.isRequested ? .seconds(1) : .zero) - .now)
        _ = blockingWait { await producer.close(flushTimeout: flush); return .success(()) }
    }

    /// Dead letters the broker had not acknowledged when the sink had to stop.
    struct Unacknowledged: Error, CustomStringConvertible {
        var count: Int
        var topic: String
        var description: String {
            "stopping: the broker did not acknowledge \(count) dead letter(s) on \(topic) in time; the batch that holds them was "
                + "rolled back, nothing of it committed to SQLite or Kafka, and it is read again at the next start"
        }
    }

    private struct DeadLetter {
        let origin: KafkaConsumedMessage
        let reason: String
        var value: [UInt8]
        var originalSize: Int?

        init(_ origin: KafkaConsumedMessage, reason: String) {
            self.origin = origin
            self.reason = reason
            value = origin.value ?? []
        }

        var headers: [KafkaHeader] {
            var headers = origin.headers + [
                KafkaHeader(name: MessageHeaders.error, text: reason),
                KafkaHeader(name: MessageHeaders.originTopic, text: origin.topic),
                KafkaHeader(name: MessageHeaders.originPartition, text: String(origin.partition)),
                KafkaHeader(name: MessageHeaders.originOffset, text: String(origin.offset)),
            ]
            if let originalSize { headers.append(KafkaHeader(name: MessageHeaders.truncated, text: String(originalSize))) }
            return headers
        }

        /// Bytes besides the value: key, headers, and a margin for the record's framing.
        var overhead: Int {
            (origin.key?.count ?? 0) + headers.reduce(0) { $0 + $1.name.utf8.count + ($1.value?.count ?? 0) + 16 }
                + MessageHeaders.truncated.utf8.count + 32 + 512
        }

        /// This letter, its value cut so that the whole message is at most `limit` bytes.
        func fitting(_ limit: Int) -> DeadLetter {
            guard overhead + value.count > limit else { return self }
            var cut = self
            cut.originalSize = originalSize ?? value.count
            cut.value = Array(value.prefix(max(0, limit - overhead)))
            return cut
        }
    }
}
