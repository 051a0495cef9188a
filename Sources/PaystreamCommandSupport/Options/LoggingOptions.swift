import ArgumentParser
import Foundation
import Logging

// The options every Paystream command shares, each group declared once and included with
// `@OptionGroup`, so the commands spell and document them the same way. The Kafka ones are
// in PaystreamKafkaCommandSupport.

/// `--log-level`, `--log-format`.
public struct LoggingOptions: ParsableArguments {
    @Option(name: .customLong("log-level"), help: "Least severe level logged (default: info; paystream-status: error).")
    public var level: LogLevel?
    @Option(name: .customLong("log-format"), help: "text for people, json for log collectors (one object per line, metadata as fields).")
    public var format: LogFormat = .text

    public init() {}

    /// Sets up swift-log for the process: standard error, this level and format.
    public func bootstrap(defaultLevel: LogLevel = .info) {
        CommandRuntime.bootstrapLogging(level: (level ?? defaultLevel).loggerLevel, format: format)
    }
}

public enum LogLevel: String, CaseIterable, ExpressibleByArgument, Sendable {
    case trace, debug, info, notice, warning, error, critical

    public var loggerLevel: Logger.Level { Logger.Level(rawValue: rawValue)! }
}

public enum LogFormat: String, CaseIterable, ExpressibleByArgument, Sendable {
    case text, json

    /// The format `arguments` ask for, read before ArgumentParser parses them so that its
    /// errors can be written in it: the last `--log-format json` (or `--log-format=json`)
    /// or other format given.
    static func requested(in arguments: [String]) -> LogFormat {
        var format = LogFormat.text
        for (i, argument) in arguments.enumerated() {
            let value = argument.hasPrefix("--log-format=") ? String(argument.dropFirst("--log-format=".count))
                : argument == "--log-format" ? arguments.dropFirst(i + 1).first : nil
            if let value, let asked = LogFormat(rawValue: value) { format = asked }
        }
        return format
    }
}
