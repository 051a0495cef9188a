import CRDKafka
import Foundation
import Logging
import PaystreamBasics
import Synchronization

/// A producer with `acks=all` and idempotence: `send` queues a message and returns at once;
/// the broker's acknowledgement arrives later in the message's `DeliveryTracker`. Delivery
/// reports are served on the producer's own queue when librdkafka has some
/// (`RDKafkaExecutor`), never on Swift's cooperative pool. With a `transactionalID` in its
/// configuration the producer also runs transactions (`KafkaProducer+Transactions.swift`).
public final class KafkaProducer: Sendable {
    let handle: RDKafkaHandle
    private let topics = Mutex<[String: RDKafkaTopic]>([:])
    let logger: Logger
    /// The client's bound on one wait on the cluster (`KafkaClientConfiguration.brokerTimeout`).
    public let brokerTimeout: Duration

    public init(configuration: KafkaProducerConfiguration, logger: Logger) throws {
        self.logger = logger
        brokerTimeout = configuration.client.brokerTimeout
        self.handle = try RDKafkaHandle(
            kind: .producer, properties: configuration.librdkafkaProperties,
            context: RDKafkaCallbackContext(logger: logger), servesEvents: true
        ) { conf in
            rd_kafka_conf_set_dr_msg_cb(conf, deliveryReportCallback)
        }
    }

    deinit {
        topics.withLock { $0.values.forEach { rd_kafka_topic_destroy($0.pointer) } }
    }

    /// The largest message the broker is sent (`message.max.bytes`: key, value, headers
    /// and framing); a larger one fails with `MSG_SIZE_TOO_LARGE`.
    public var maximumMessageBytes: Int {
        handle.configurationValue("message.max.bytes").flatMap { Int($0) } ?? 1_000_000
    }

    /// Queues one message. `value == nil` produces a tombstone. The partitioner picks the
    /// partition from the key unless `partition` names one. Waits (without blocking a
    /// thread) while librdkafka's local queue is full.
    public func send(
        topic: String, partition: Int32? = nil, key: some ContiguousBytes, value: (some ContiguousBytes)?,
        headers: [KafkaHeader] = [], tracker: DeliveryTracker
    ) async throws {
        let rkt = try topicHandle(topic)
        tracker.willSend()
        let opaque = Unmanaged.passRetained(tracker).toOpaque()
        var backoff = Duration.microseconds(500)
        while true {
            let error = key.withUnsafeBytes { keyBytes in
                withOptionalBytes(value) { valueBytes in
                    RDKafkaProduce.produce(handle.pointer, rkt.pointer, key: keyBytes, value: valueBytes, headers: headers, partition: partition, opaque: opaque)
                }
            }
            guard let error else { return }
            if rd_kafka_error_code(error) == RD_KAFKA_RESP_ERR__QUEUE_FULL {
                rd_kafka_error_destroy(error)
                do {
                    try await Task.sleep(for: backoff)
                } catch {
                    // Cancelled while the queue was full: the message was never queued.
                    Unmanaged<DeliveryTracker>.fromOpaque(opaque).release()
                    tracker.didNotSend()
                    throw error
                }
                backoff = min(backoff * 2, .milliseconds(50))
                continue
            }
            Unmanaged<DeliveryTracker>.fromOpaque(opaque).release()
            tracker.didNotSend()
            let failure = KafkaError(operation: "produce", consuming: error, topic: topic)
            if let fenced = fencingError() { throw KafkaTransactionError.fenced(fenced) }
            throw failure
        }
    }

    /// The error that made this producer unusable, if one did: librdkafka raises a fatal
    /// error (an idempotent producer whose sequence the broker no longer accepts, a fenced
    /// transactional one) and then fails everything sent. Only a new producer goes on.
    public var fatalError: KafkaError? {
        var reason = [CChar](repeating: 0, count: 512)
        let code = rd_kafka_fatal_error(handle.pointer, &reason, reason.count)
        guard code != RD_KAFKA_RESP_ERR_NO_ERROR else { return nil }
        return KafkaError(operation: "produce", code: String(cString: rd_kafka_err2name(code)), reason: decodeCString(reason))
    }

    /// The producer's fatal error when it is that a newer producer fenced it.
    private func fencingError() -> KafkaError? {
        fatalError.flatMap { $0.isFencing ? $0 : nil }
    }

    /// Sends one message and waits for the broker's answer.
    public func sendAndWait(
        topic: String, partition: Int32? = nil, key: some ContiguousBytes, value: (some ContiguousBytes)?, headers: [KafkaHeader] = []
    ) async throws -> KafkaDeliveryReport {
        let tracker = DeliveryTracker(keepsReports: true)
        try await send(topic: topic, partition: partition, key: key, value: value, headers: headers, tracker: tracker)
        let summary = await tracker.waitForAll()
        let report = summary.reports[0]
        if let error = report.error { throw error }
        return report
    }

    /// Waits until every queued message was acknowledged or failed.
    public func flush(timeout: Duration) async throws {
        let handle = self.handle
        let err = await handle.executor.run { rd_kafka_flush(handle.pointer, Int32(timeout.milliseconds)) }
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError(operation: "flush", code: err)
        }
    }

    /// Gives up on every message not yet acknowledged, queued or in flight: their delivery
    /// reports arrive at once as failed (`_PURGE_QUEUE`, `_PURGE_INFLIGHT`), so nothing waits
    /// on them any more. A purged in-flight message may still have reached the broker. Not for
    /// a transaction (`abortTransaction` purges its messages and ends it).
    public func purge() async {
        let handle = self.handle
        await handle.executor.run {
            let flags = RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT | RD_KAFKA_PURGE_F_NON_BLOCKING
            _ = rd_kafka_purge(handle.pointer, Int32(flags))
            // Serve the purged messages' delivery reports now.
            _ = rd_kafka_poll(handle.pointer, 0)
        }
    }

    /// Flushes what is queued for up to `flushTimeout` (default: the client's
    /// `brokerTimeout`), then gives up on what is left (`purge`). The client itself goes with
    /// the last reference to it.
    public func close(flushTimeout: Duration? = nil) async {
        do { try await flush(timeout: flushTimeout ?? brokerTimeout) } catch {
            logger.error("producer closed with messages still unacknowledged, which are given up: \(error)")
            await purge()
        }
    }

    private func topicHandle(_ name: String) throws -> RDKafkaTopic {
        try topics.withLock { topics in
            if let existing = topics[name] { return existing }
            guard let rkt = rd_kafka_topic_new(handle.pointer, name, nil) else {
                throw KafkaError(operation: "open topic", code: rd_kafka_last_error(), topic: name)
            }
            topics[name] = RDKafkaTopic(pointer: rkt)
            return topics[name]!
        }
    }
}

/// A topic handle of the producer's client. `@unchecked Sendable` because Swift sees only an
/// `OpaquePointer`: librdkafka's topic handles are thread-safe, and this one lives (in
/// `topics`, behind its lock) until the producer goes.
struct RDKafkaTopic: @unchecked Sendable {
    let pointer: OpaquePointer
}

private func withOptionalBytes<R>(_ value: (some ContiguousBytes)?, _ body: (UnsafeRawBufferPointer?) -> R) -> R {
    guard let value else { return body(nil) }
    return value.withUnsafeBytes { body($0) }
}

private let deliveryReportCallback: @convention(c) (OpaquePointer?, UnsafePointer<rd_kafka_message_t>?, UnsafeMutableRawPointer?) -> Void = {
    _, message, _ in
    guard let message = message?.pointee, let opaque = message._private else { return }
    let tracker = Unmanaged<DeliveryTracker>.fromOpaque(opaque).takeRetainedValue()
    let topic = message.rkt.map { String(cString: rd_kafka_topic_name($0)) } ?? ""
    let error = message.err == RD_KAFKA_RESP_ERR_NO_ERROR
        ? nil
        : KafkaError(operation: "deliver message", code: message.err, topic: topic, partition: message.partition)
    tracker.didDeliver(KafkaDeliveryReport(topic: topic, partition: message.partition, offset: message.offset, error: error))
}
