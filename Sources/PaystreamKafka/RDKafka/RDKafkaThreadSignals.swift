import CFatalSignals
import CRDKafka

/// librdkafka blocks every signal in the threads it starts. A fault in one of them (a bug
/// in librdkafka, or in a broker's answer that it mishandles) is then ended by the kernel's
/// default action without running the process's crash handler, and the log just stops. So
/// each of its threads unblocks the crash signals when it starts (an `on_thread_start`
/// interceptor), and a crash there is reported like any other (`FatalSignalReport`).
enum RDKafkaThreadSignals {
    static func reportCrashes(_ conf: OpaquePointer) {
        _ = rd_kafka_conf_interceptor_add_on_new(conf, interceptorName, onNew, nil)
    }
}

private let interceptorName = "paystream.crash-signals"

private let onNew: @convention(c) (
    OpaquePointer?, OpaquePointer?, UnsafeMutableRawPointer?, UnsafeMutablePointer<CChar>?, Int
) -> rd_kafka_resp_err_t = { rk, _, _, _, _ in
    rd_kafka_interceptor_add_on_thread_start(rk, interceptorName, onThreadStart, nil)
}

private let onThreadStart: @convention(c) (
    OpaquePointer?, rd_kafka_thread_type_t, UnsafePointer<CChar>?, UnsafeMutableRawPointer?
) -> rd_kafka_resp_err_t = { _, _, _, _ in
    paystream_fatal_signals_unblock()
    return RD_KAFKA_RESP_ERR_NO_ERROR
}
