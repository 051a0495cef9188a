import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// What every Paystream executable does the same way: log to standard error at a chosen
/// level and format, run its services with graceful shutdown on SIGTERM/SIGINT, and turn a
/// failure into one clear line and a non-zero exit status.
public enum CommandRuntime {
    public static func bootstrapLogging(level: Logger.Level, format: LogFormat) {
        ErrorOutput.use(format)
        LoggingSystem.bootstrap { label in
            switch format {
            case .json:
                return JSONLogHandler(label: label, level: level)
            case .text:
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
        }
    }

    /// Runs `service` until it returns (then the group shuts down) or a signal arrives,
    /// with the `alongside` services (the operations listener) beside it. Returns false when
    /// something failed, after printing why.
    public static func run(
        _ service: some Service, name: String, shutdownWithin: Duration, alongside: [any Service] = [], logger: Logger
    ) async -> Bool {
        // The group shuts down in reverse order: the main service first, the probes last.
        let services = alongside.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) }
            + [.init(service: service, successTerminationBehavior: .gracefullyShutdownGroup)]
        var configuration = ServiceGroupConfiguration(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        configuration.maximumGracefulShutdownDuration = shutdownWithin
        do {
            try await ServiceGroup(configuration: configuration).run()
            return true
        } catch {
            fail(name, error)
            return false
        }
    }

    /// Runs blocking work (librdkafka, SQLite) on a thread of its own, never on Swift's
    /// cooperative pool.
    public static func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }

    /// The command's last line before it exits with a failure: `name: error`, or in JSON
    /// log mode a JSON object like every other line.
    public static func fail(_ name: String, _ error: any Error) {
        ErrorOutput.write("\(error)", text: "\(name): \(error)", from: name)
    }
}
