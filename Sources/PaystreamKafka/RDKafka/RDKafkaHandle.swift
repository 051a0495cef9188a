import CRDKafka
import Dispatch
import Logging
import Synchronization

/// Owns one `rd_kafka_t` and the serial queue its blocking calls run on. The handle is
/// destroyed exactly once, when the last reference goes (`deinit`): whoever still holds it
/// can still use it.
///
/// `@unchecked Sendable` because Swift sees only an `OpaquePointer`: librdkafka's handle is
/// thread-safe (every `rd_kafka_*` call on it may come from any thread), and every stored
/// property is a constant. What must stay on one thread (a consumer's queue and caches) is
/// kept in the non-Sendable `KafkaConsumer`.
final class RDKafkaHandle: @unchecked Sendable {
    let pointer: OpaquePointer
    let executor: RDKafkaExecutor
    private let contextRetain: Unmanaged<RDKafkaCallbackContext>
    /// A producer's handle serves its main queue when librdkafka signals events there.
    private let servesEvents: Bool

    enum Kind {
        case producer, consumer

        var cType: rd_kafka_type_t { self == .producer ? RD_KAFKA_PRODUCER : RD_KAFKA_CONSUMER }
    }

    /// `servesEvents`: serve the main queue (delivery reports, logs, errors) on the
    /// executor whenever librdkafka enqueues an event there, a producer's replacement for a
    /// poll loop.
    init(
        kind: Kind, properties: [String: String], context: RDKafkaCallbackContext, servesEvents: Bool = false,
        configure: (OpaquePointer) -> Void = { _ in }
    ) throws {
        guard let conf = rd_kafka_conf_new() else { throw KafkaError.configuration("rd_kafka_conf_new failed") }
        var errorText = [CChar](repeating: 0, count: 512)
        for (name, value) in properties.sorted(by: { $0.key < $1.key }) {
            if rd_kafka_conf_set(conf, name, value, &errorText, errorText.count) != RD_KAFKA_CONF_OK {
                rd_kafka_conf_destroy(conf)
                // The value is not echoed: it may be a password.
                throw KafkaError.configuration("property \(name): \(decodeCString(errorText))")
            }
        }
        let retained = Unmanaged.passRetained(context)
        rd_kafka_conf_set_opaque(conf, retained.toOpaque())
        rd_kafka_conf_set_log_cb(conf, rdkafkaLogCallback)
        rd_kafka_conf_set_error_cb(conf, rdkafkaErrorCallback)
        RDKafkaThreadSignals.reportCrashes(conf)
        configure(conf)
        // rd_kafka_new takes ownership of conf on success only.
        guard let handle = rd_kafka_new(kind.cType, conf, &errorText, errorText.count) else {
            rd_kafka_conf_destroy(conf)
            retained.release()
            throw KafkaError.configuration(decodeCString(errorText))
        }
        self.pointer = handle
        self.contextRetain = retained
        self.servesEvents = servesEvents
        let name = properties["transactional.id"] ?? properties["group.id"] ?? properties["client.id"] ?? "client"
        self.executor = RDKafkaExecutor(label: "paystream.kafka.\(kind).\(name)")
        if servesEvents { serveEventsWhenSignalled(context) }
    }

    /// The value librdkafka uses for a configuration property (set or default).
    func configurationValue(_ name: String) -> String? {
        guard let conf = rd_kafka_conf(pointer) else { return nil }
        var buffer = [CChar](repeating: 0, count: 512)
        var size = buffer.count
        guard rd_kafka_conf_get(conf, name, &buffer, &size) == RD_KAFKA_CONF_OK else { return nil }
        return decodeCString(buffer)
    }

    private func serveEventsWhenSignalled(_ context: RDKafkaCallbackContext) {
        context.serveEvents(of: self)
        let queue = rd_kafka_queue_get_main(pointer)
        rd_kafka_queue_cb_event_enable(queue, eventsWaitingCallback, nil)
        rd_kafka_queue_destroy(queue)
        // Events queued before the callback was set would otherwise wait for the next one.
        context.serveEvents()
    }

    deinit {
        if servesEvents {
            let queue = rd_kafka_queue_get_main(pointer)
            rd_kafka_queue_cb_event_enable(queue, nil, nil)
            rd_kafka_queue_destroy(queue)
        }
        // Destroying joins librdkafka's threads (up to a second for a consumer that left its
        // group): done in the background, so that no caller waits on it.
        let pointer = RDKafkaPointer(pointer), contextRetain = self.contextRetain
        DispatchQueue.global().async {
            rd_kafka_destroy(pointer.value)
            contextRetain.release()
        }
    }
}

/// State reachable from librdkafka's C callbacks through the configuration opaque.
/// C callbacks cannot capture Swift context, so everything they need lives here. It outlives
/// the handle (released after `rd_kafka_destroy`), so a callback always finds it.
final class RDKafkaCallbackContext: Sendable {
    let logger: Logger
    let rebalanceHandler: (any KafkaRebalanceHandler)?
    /// The handle whose main queue `serveEvents` serves, once it serves events; set on the
    /// handle's creation, read on librdkafka's threads: hence the lock.
    private let eventTarget = Mutex<EventTarget?>(nil)
    /// When each client error code was last logged (see `shouldLog`).
    private let lastLogged = Mutex<[Int32: ContinuousClock.Instant]>([:])

    private struct EventTarget {
        /// Weak, so the handle can go.
        weak var owner: RDKafkaHandle?
        let queue: DispatchQueue
    }

    init(logger: Logger, rebalanceHandler: (any KafkaRebalanceHandler)? = nil) {
        self.logger = logger
        self.rebalanceHandler = rebalanceHandler
    }

    func serveEvents(of owner: RDKafkaHandle) {
        eventTarget.withLock { $0 = EventTarget(owner: owner, queue: owner.executor.queue) }
    }

    /// Serves the main queue's waiting events on the owner's executor. Called on a
    /// librdkafka thread, so it takes no reference to the handle there: the last reference
    /// must never be dropped (and the handle destroyed) on a thread librdkafka owns.
    func serveEvents() {
        guard let target = eventTarget.withLock({ $0 }) else { return }
        target.queue.async {
            guard let owner = target.owner else { return }
            _ = rd_kafka_poll(owner.pointer, 0)
        }
    }

    /// Whether an error with this code should be logged now: librdkafka reports a broker
    /// that is away on every reconnect attempt, of every client; one line per client and
    /// code a minute says as much.
    func shouldLog(code: Int32) -> Bool {
        lastLogged.withLock { last in
            if let at = last[code], ContinuousClock.now - at < .seconds(60) { return false }
            last[code] = .now
            return true
        }
    }

    static func from(_ handle: OpaquePointer?) -> RDKafkaCallbackContext? {
        guard let handle, let opaque = rd_kafka_opaque(handle) else { return nil }
        return Unmanaged<RDKafkaCallbackContext>.fromOpaque(opaque).takeUnretainedValue()
    }
}

/// Called on a librdkafka thread when the main queue stops being empty: must not block.
private let eventsWaitingCallback: @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?) -> Void = { handle, _ in
    RDKafkaCallbackContext.from(handle)?.serveEvents()
}

private let rdkafkaLogCallback: @convention(c) (OpaquePointer?, Int32, UnsafePointer<CChar>?, UnsafePointer<CChar>?) -> Void = {
    handle, level, facility, message in
    guard let context = RDKafkaCallbackContext.from(handle), let message else { return }
    let fac = facility.map { String(cString: $0) } ?? "-"
    // syslog levels: 0-3 error, 4 warning, 5-6 info/notice, 7 debug. Connection failures
    // (facility FAIL) also reach the error callback, which logs them once a minute.
    let swiftLevel: Logger.Level = fac == "FAIL" ? .debug : level <= 3 ? .error : level == 4 ? .warning : level <= 6 ? .info : .debug
    context.logger.log(level: swiftLevel, "librdkafka: \(String(cString: message))", metadata: ["kafka.facility": "\(fac)"])
}

private let rdkafkaErrorCallback: @convention(c) (OpaquePointer?, Int32, UnsafePointer<CChar>?, UnsafeMutableRawPointer?) -> Void = {
    handle, code, reason, _ in
    guard let context = RDKafkaCallbackContext.from(handle) else { return }
    let err = rd_kafka_resp_err_t(code)
    let text = reason.map { String(cString: $0) } ?? String(cString: rd_kafka_err2str(err))
    // Transport errors are retried by librdkafka itself; they matter only if they persist.
    let fatal = err == RD_KAFKA_RESP_ERR__FATAL
    guard fatal || context.shouldLog(code: code) else { return }
    context.logger.log(level: fatal ? .critical : .warning, "Kafka client error: \(text) [\(String(cString: rd_kafka_err2name(err)))]\(fatal ? "" : " (repeats are not logged for a minute)")")
}

/// A handle being destroyed, handed to the queue that destroys it. `@unchecked Sendable`:
/// the handle is thread-safe, and nothing else uses it any more (its owner is gone).
private struct RDKafkaPointer: @unchecked Sendable {
    let value: OpaquePointer
    init(_ value: OpaquePointer) { self.value = value }
}
