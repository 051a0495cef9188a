import CRDKafka
import Logging

/// Owns one `rd_kafka_t`. librdkafka handles are thread-safe, so sharing this wrapper
/// across threads is sound; the opaque pointer itself is not `Sendable` to Swift.
final class RDKafkaHandle: @unchecked Sendable {
    let pointer: OpaquePointer
    let context: RDKafkaCallbackContext
    private let contextRetain: Unmanaged<RDKafkaCallbackContext>

    enum Kind {
        case producer, consumer

        var cType: rd_kafka_type_t { self == .producer ? RD_KAFKA_PRODUCER : RD_KAFKA_CONSUMER }
    }

    init(
        kind: Kind, properties: [String: String], context: RDKafkaCallbackContext,
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
        configure(conf)
        // rd_kafka_new takes ownership of conf on success only.
        guard let handle = rd_kafka_new(kind.cType, conf, &errorText, errorText.count) else {
            rd_kafka_conf_destroy(conf)
            retained.release()
            throw KafkaError.configuration(decodeCString(errorText))
        }
        self.pointer = handle
        self.context = context
        self.contextRetain = retained
    }

    /// The value librdkafka uses for a configuration property (set or default).
    func configurationValue(_ name: String) -> String? {
        guard let conf = rd_kafka_conf(pointer) else { return nil }
        var buffer = [CChar](repeating: 0, count: 512)
        var size = buffer.count
        guard rd_kafka_conf_get(conf, name, &buffer, &size) == RD_KAFKA_CONF_OK else { return nil }
        return decodeCString(buffer)
    }

    /// Destroys the handle. Callers make sure nothing else uses it any more.
    func destroy() {
        rd_kafka_destroy(pointer)
        contextRetain.release()
    }
}

/// State reachable from librdkafka's C callbacks through the configuration opaque.
/// C callbacks cannot capture Swift context, so everything they need lives here.
final class RDKafkaCallbackContext: Sendable {
    let logger: Logger
    let rebalanceHandler: (any KafkaRebalanceHandler)?

    init(logger: Logger, rebalanceHandler: (any KafkaRebalanceHandler)? = nil) {
        self.logger = logger
        self.rebalanceHandler = rebalanceHandler
    }

    static func from(_ handle: OpaquePointer?) -> RDKafkaCallbackContext? {
        guard let handle, let opaque = rd_kafka_opaque(handle) else { return nil }
        return Unmanaged<RDKafkaCallbackContext>.fromOpaque(opaque).takeUnretainedValue()
    }
}

private let rdkafkaLogCallback: @convention(c) (OpaquePointer?, Int32, UnsafePointer<CChar>?, UnsafePointer<CChar>?) -> Void = {
    handle, level, facility, message in
    guard let context = RDKafkaCallbackContext.from(handle), let message else { return }
    // syslog levels: 0-3 error, 4 warning, 5-6 info/notice, 7 debug.
    let swiftLevel: Logger.Level = level <= 3 ? .error : level == 4 ? .warning : level <= 6 ? .info : .debug
    let fac = facility.map { String(cString: $0) } ?? "-"
    context.logger.log(level: swiftLevel, "librdkafka: \(String(cString: message))", metadata: ["kafka.facility": "\(fac)"])
}

private let rdkafkaErrorCallback: @convention(c) (OpaquePointer?, Int32, UnsafePointer<CChar>?, UnsafeMutableRawPointer?) -> Void = {
    handle, code, reason, _ in
    guard let context = RDKafkaCallbackContext.from(handle) else { return }
    let err = rd_kafka_resp_err_t(code)
    let text = reason.map { String(cString: $0) } ?? String(cString: rd_kafka_err2str(err))
    // Transport errors are retried by librdkafka itself; they matter only if they persist.
    let level: Logger.Level = err == RD_KAFKA_RESP_ERR__FATAL ? .critical : .warning
    context.logger.log(level: level, "Kafka client error: \(text) [\(String(cString: rd_kafka_err2name(err)))]")
}
