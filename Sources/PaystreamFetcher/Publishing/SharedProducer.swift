import Logging
import PaystreamKafka
import Synchronization

/// The idempotent producer that every unit of a fetcher without transactions publishes
/// through. A producer that hit a fatal error, or that the broker refuses as fenced (after
/// an outage Tansu can refuse an idempotent producer's epoch for good: `PRODUCER_FENCED` on
/// every message, never fatal to librdkafka), fails all it is sent: the next claim gets a new
/// one, and units still on the old one fail and claim again.
final class SharedProducer: Sendable {
    private let configuration: KafkaProducerConfiguration
    private let logger: Logger
    private let producer: Mutex<KafkaProducer>

    init(configuration: KafkaProducerConfiguration, logger: Logger) throws {
        self.configuration = configuration
        self.logger = logger
        producer = Mutex(try KafkaProducer(configuration: configuration, logger: logger))
    }

    /// The producer to publish through: the current one, or a new one in place of one that
    /// hit a fatal error.
    func current() throws -> KafkaProducer {
        try replace(when: { $0.fatalError })
    }

    /// Replaces `refused` (if it is still the current one) after the broker refused it as
    /// fenced: a delivery's `error`.
    func retire(_ refused: KafkaProducer, after error: KafkaError) {
        guard error.isFencing else { return }
        do {
            _ = try replace(when: { $0 === refused ? error : nil })
        } catch {
            logger.error("could not create a producer in place of a refused one (the next claim tries again): \(error)")
        }
    }

    /// What the old producer still holds is given up (its senders fail and send it again);
    /// the old client goes with the last session that holds it.
    private func replace(when unusable: (KafkaProducer) -> KafkaError?) throws -> KafkaProducer {
        let (producer, replaced) = try self.producer.withLock { producer -> (KafkaProducer, KafkaProducer?) in
            guard let reason = unusable(producer) else { return (producer, nil) }
            logger.warning("the shared producer can no longer publish (\(reason)); publishing through a new one")
            let old = producer
            producer = try KafkaProducer(configuration: configuration, logger: logger)
            return (producer, old)
        }
        if let replaced { Task { await replaced.purge() } }
        return producer
    }

    func close(flushTimeout: Duration) async {
        await producer.withLock { $0 }.close(flushTimeout: flushTimeout)
    }
}
