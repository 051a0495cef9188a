import CRDKafka
import Dispatch
import Foundation
import Logging
import Synchronization

/// An idempotent producer (`acks=all`). `send` queues a message and returns at once; the
/// broker's acknowledgement arrives later in the message's `DeliveryTracker`. A dedicated
/// thread serves librdkafka's delivery callbacks, off Swift's cooperative pool.
public final class KafkaProducer: Sendable {
    private let handle: RDKafkaHandle
    private let topics = Mutex<[String: RDKafkaTopic]>([:])
    private let pollThread: RDKafkaPollThread
    private let logger: Logger

    public init(configuration: KafkaProducerConfiguration, logger: Logger) throws {
        self.logger = logger
        self.handle = try RDKafkaHandle(
            kind: .producer, properties: configuration.librdkafkaProperties,
            context: RDKafkaCallbackContext(logger: logger)
        ) { conf in
            rd_kafka_conf_set_dr_msg_cb(conf, deliveryReportCallback)
        }
        self.pollThread = RDKafkaPollThread(name: "paystream.kafka.producer-poll", handle: handle)
    }

    /// The largest message the broker is sent (`message.max.bytes`: key, value, headers
    /// and framing); a larger one fails with `MSG_SIZE_TOO_LARGE`.
    public var maximumMessageBytes: Int {
        handle.configurationValue("message.max.bytes").flatMap { Int($0) } ?? 1_000_000
    }

    /// Queues one message. `value == nil` produces a tombstone. Waits (without blocking a
    /// thread) while librdkafka's local queue is full.
    public func send(
        topic: String, key: some ContiguousBytes, value: (some ContiguousBytes)?,
        headers: [KafkaHeader] = [], tracker: DeliveryTracker
    ) async throws {
        let rkt = try topicHandle(topic)
        tracker.willSend()
        let opaque = Unmanaged.passRetained(tracker).toOpaque()
        var backoff = Duration.microseconds(500)
        while true {
            let error = key.withUnsafeBytes { keyBytes in
                withOptionalBytes(value) { valueBytes in
                    RDKafkaProduce.produce(handle.pointer, rkt.pointer, key: keyBytes, value: valueBytes, headers: headers, opaque: opaque)
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
            throw KafkaError(operation: "produce", consuming: error, topic: topic)
        }
    }

    /// Sends one message and waits for the broker's answer.
    public func sendAndWait(
        topic: String, key: some ContiguousBytes, value: (some ContiguousBytes)?, headers: [KafkaHeader] = []
    ) async throws -> KafkaDeliveryReport {
        let tracker = DeliveryTracker(keepsReports: true)
        try await send(topic: topic, key: key, value: value, headers: headers, tracker: tracker)
        let summary = await tracker.waitForAll()
        let report = summary.reports[0]
        if let error = report.error { throw error }
        return report
    }

    /// Waits until every queued message was acknowledged or failed.
    public func flush(timeout: Duration) async throws {
        let handle = self.handle
        let err = await runOffCooperativePool { rd_kafka_flush(handle.pointer, Int32(timeout.milliseconds)) }
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError(operation: "flush", code: err)
        }
    }

    /// Flushes, stops the poll thread and destroys the client. Call once, last.
    public func close(flushTimeout: Duration = .seconds(30)) async {
        do { try await flush(timeout: flushTimeout) } catch {
            logger.error("producer closed with messages still unacknowledged: \(error)")
        }
        await pollThread.stop()
        topics.withLock { $0.values.forEach { rd_kafka_topic_destroy($0.pointer) } }
        handle.destroy()
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
