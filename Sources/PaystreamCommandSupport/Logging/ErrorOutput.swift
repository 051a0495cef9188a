import Foundation
import Logging
import Synchronization

/// The lines a command writes to standard error itself, not through swift-log: the fatal
/// line before a non-zero exit (`CommandRuntime.fail`) and usage errors (`PaystreamCommand`).
/// With `--log-format json` they are JSON log objects like every other line, level
/// `critical`, so that a log collector can read all of standard error; in text mode they are
/// written as they always were.
enum ErrorOutput {
    /// The log format: as the command line asks for it until logging is set up (parsing it
    /// can fail before then), then as set up.
    private static let format = Mutex<LogFormat>(LogFormat.requested(in: CommandLine.arguments))

    static func use(_ format: LogFormat) {
        self.format.withLock { $0 = format }
    }

    /// `text` in text mode; in JSON mode one object with `message` from `command`.
    static func write(_ message: String, text: String, from command: String) {
        let line: [UInt8] = switch format.withLock({ $0 }) {
        case .json: JSONLogHandler.line(time: Date(), level: .critical, label: command, message: message, metadata: [:])
        case .text: Array((text + "\n").utf8)
        }
        JSONLogOutput.standardError.write(line)
    }
}
