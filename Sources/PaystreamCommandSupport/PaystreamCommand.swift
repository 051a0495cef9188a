import ArgumentParser
import Foundation

/// A Paystream executable. Its `main` gives every command one exit-status scheme (README,
/// "Exit codes"): 0 success, 1 runtime failure, 2 usage or configuration error.
/// ArgumentParser's own default for a usage error is 64; here it is 2.
public protocol PaystreamCommand: AsyncParsableCommand {}

extension PaystreamCommand {
    public static func main() async {
        // From the start, in the format the command line asks for (set again by `bootstrapLogging`).
        FatalSignalReport.install(command: configuration.commandName, format: LogFormat.requested(in: CommandLine.arguments))
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let message = fullMessage(for: error)
            let code = exitCode(for: error)
            if code == .success {
                if !message.isEmpty { print(message) }
                Foundation.exit(ExitStatus.ok)
            }
            if !message.isEmpty {
                // In JSON log mode, one object without the usage text that follows the error.
                ErrorOutput.write(Self.message(for: error), text: message, from: configuration.commandName ?? "paystream")
            }
            Foundation.exit(code == .validationFailure || error is UsageError ? ExitStatus.usage : code.rawValue)
        }
    }
}

public enum ExitStatus {
    public static let ok: Int32 = 0
    /// Something failed while running: a resource could not be synced, the broker went away
    /// for good, a write failed.
    public static let failure: Int32 = 1
    /// The command line, the config or the environment it needs is wrong; nothing was done.
    public static let usage: Int32 = 2
    /// A run with an end of its own (`--once`, `--until-caught-up`) was stopped by SIGTERM
    /// or SIGINT before it got there (`StoppedBeforeDone`): nothing is lost, run it again.
    public static let stoppedEarly: Int32 = 3
}

/// A usage or configuration problem found before any work started (exit status 2).
public struct UsageError: Error, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}

public enum PaystreamVersion {
    /// For `--version`; the commands that use Kafka add the librdkafka they loaded
    /// (`withLibrdkafka`, in PaystreamKafkaCommandSupport).
    public static let number = "0.1.0"
}
