import CFatalSignals
import Foundation
import PaystreamJSON
import Synchronization

/// One line on standard error when the process crashes (SIGSEGV, SIGBUS, SIGILL, SIGTRAP,
/// SIGFPE, SIGABRT), in the log's format: what happened, so that an operator sees a crash
/// where the log would otherwise just stop. The process still ends by the signal (exit
/// status 139 for SIGSEGV) with a core dump where the system keeps them, and a supervisor
/// restarts it. The lines are prepared here; the handler (C, `CFatalSignals`) only writes
/// them.
///
/// Threads that block these signals would end without the line: librdkafka's unblock them
/// when they start (`RDKafkaThreadSignals`). Limit: a thread that overflows its stack has no
/// stack left to run the handler on, and ends without the line.
public enum FatalSignalReport {
    /// The command named in the line, from the first `install`.
    private static let command = Mutex<String?>(nil)

    /// Installs the handler for `command` (e.g. "paystream-sink"); called again with the
    /// log format once the options are parsed.
    public static func install(command name: String? = nil, format: LogFormat) {
        let name = command.withLock { stored in
            if let name { stored = name }
            return stored ?? "paystream"
        }
        let signals = (0..<paystream_fatal_signal_count()).map { paystream_fatal_signal_number($0) }
        let (before, after) = lines(command: name, format: format, signals: signals)
        let installed = withCStrings(after) { paystream_fatal_signals_install(before, $0, format == .json ? 1 : 0) }
        if installed != 0 { CommandRuntime.fail(name, FatalSignalReportError()) }
    }

    /// What is written before the time of the crash, and after it for each signal.
    static func lines(command: String, format: LogFormat, signals: [Int32]) -> (before: String, after: [String]) {
        let after = signals.map { signal -> String in
            let name = signalName(signal)
            let message = "fatal signal \(name) (crash: \(meaning(signal))); \(command) ends now, killed by signal \(signal)"
            switch format {
            case .text:
                return " critical \(command): \(message)\n"
            case .json:
                let fields = [("level", "critical"), ("logger", command), ("message", message), ("signal", name)]
                return "\"" + fields.map { ",\(JSONWriter.quoted($0.0)):\(JSONWriter.quoted($0.1))" }.joined() + "}\n"
            }
        }
        return (format == .json ? "{\"ts\":\"" : "", after)
    }

    static func signalName(_ signal: Int32) -> String {
        switch signal {
        case SIGSEGV: "SIGSEGV"
        case SIGBUS: "SIGBUS"
        case SIGILL: "SIGILL"
        case SIGTRAP: "SIGTRAP"
        case SIGFPE: "SIGFPE"
        case SIGABRT: "SIGABRT"
        default: "signal \(signal)"
        }
    }

    private static func meaning(_ signal: Int32) -> String {
        switch signal {
        case SIGSEGV, SIGBUS: "invalid memory access"
        case SIGILL, SIGTRAP: "a trap, e.g. a failed Swift runtime check"
        case SIGFPE: "arithmetic error"
        case SIGABRT: "aborted, e.g. a failed assertion"
        default: "fatal signal"
        }
    }

    private static func withCStrings<T>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> T) -> T {
        let copies = strings.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        let pointers = copies.map { UnsafePointer($0) }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}

struct FatalSignalReportError: Error, CustomStringConvertible {
    var description: String { "could not install the handler that reports crashes (a line longer than 1 KB, or sigaction failed)" }
}
