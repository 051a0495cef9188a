import Dispatch
import Logging
import PaystreamKafka
import PaystreamMessageFormat

/// Sets aside messages the store cannot use, on the dead-letter topic, with headers that
/// say what was wrong and where the message came from. `publish` returns only once the
/// broker acknowledged them, so the batch that skips them commits only after that.
final class DeadLetterPublisher: Sendable {
    private let producer: KafkaProducer
    private let topic: String
    private let logger: Logger

    static let errorHeader = MessageHeaders.error
    static let topicHeader = MessageHeaders.originTopic
    static let partitionHeader = MessageHeaders.originPartition
    static let offsetHeader = MessageHeaders.originOffset

    init(configuration: SinkConfiguration, logger: Logger) throws {
        var producerConfig = KafkaProducerConfiguration(client: configuration.kafka)
        // The batch (and SQLite's write lock) waits on these acknowledgements: fail fast.
        producerConfig.messageTimeout = .seconds(30)
        producer = try KafkaProducer(configuration: producerConfig, logger: logger)
        topic = configuration.deadLetterTopic
        self.logger = logger
        // Create the topic up front: a broker without auto-creation would otherwise fail
        // the first batch that holds a bad message, on every restart.
        let admin = try KafkaAdmin(configuration: configuration.kafka, logger: logger)
        defer { admin.close() }
        let topic = self.topic
        let created = blockingWait { await Result(catching: { try await admin.createTopics([KafkaNewTopic(name: topic, partitions: 1)]) }) }
        if case .failure(let error) = created { throw error }
    }

    /// Blocks the calling (worker) thread until every message is acknowledged; throws if
    /// any could not be, which rolls back the batch.
    func publish(_ messages: [(KafkaConsumedMessage, String)]) throws {
        guard !messages.isEmpty else { return }
        for (m, reason) in messages {
            logger.warning("message set aside on \(topic): \(reason)", metadata: ["kafka.topic": "\(m.topic)", "kafka.partition": "\(m.partition)", "kafka.offset": "\(m.offset)"])
        }
        let producer = self.producer, topic = self.topic
        let outcome = blockingWait {
            let tracker = DeliveryTracker()
            do {
                for (m, reason) in messages {
                    let headers = m.headers + [
                        KafkaHeader(name: Self.errorHeader, text: reason),
                        KafkaHeader(name: Self.topicHeader, text: m.topic),
                        KafkaHeader(name: Self.partitionHeader, text: String(m.partition)),
                        KafkaHeader(name: Self.offsetHeader, text: String(m.offset)),
                    ]
                    try await producer.send(topic: topic, key: m.key ?? [], value: m.value ?? [], headers: headers, tracker: tracker)
                }
            } catch {
                _ = await tracker.waitForAll()
                return Result<DeliveryTracker.Summary, any Error>.failure(error)
            }
            return .success(await tracker.waitForAll())
        }
        let summary = try outcome.get()
        if let error = summary.firstErrors.first { throw error }
    }

    func close() {
        let producer = self.producer
        blockingWait { await producer.close() }
    }
}

/// Runs async work from a plain (non-pool) thread and blocks that thread until it is done.
func blockingWait<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> T {
    let done = DispatchSemaphore(value: 0)
    let box = ResultBox<T>()
    Task {
        box.value = await body()
        done.signal()
    }
    done.wait()
    return box.value!
}

private final class ResultBox<T>: @unchecked Sendable {
    var value: T?
}

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
