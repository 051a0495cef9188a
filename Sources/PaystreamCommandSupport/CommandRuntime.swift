import Foundation
import Logging
import PaystreamBasics
import ServiceLifecycle
import UnixSignals

/// What every Paystream executable does the same way: log to standard error at a chosen
/// level and format, run its services with graceful shutdown on SIGTERM/SIGINT, and turn a
/// failure into one clear line and a non-zero exit status.
public enum CommandRuntime {
    /// Logging, and the line a crash writes (`FatalSignalReport`) in the same format.
    public static func bootstrapLogging(level: Logger.Level, format: LogFormat) {
        ErrorOutput.use(format)
        FatalSignalReport.install(format: format)
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
    /// with the `alongside` services (the operations listener) beside it. Returns the exit
    /// status (`ExitStatus`), after printing why when it is not 0.
    ///
    /// SIGTERM or SIGINT ends the process within `shutdownWithin`: the services shut down
    /// gracefully within it, and should one not, the process exits anyway (status 1), saying
    /// so, rather than outlive a supervisor's grace period and be killed without a word.
    public static func run(
        _ service: some Service, name: String, shutdownWithin: Duration, alongside: [any Service] = [], logger: Logger
    ) async -> Int32 {
        // The group shuts down in reverse order: the main service first, the probes last.
        let services = alongside.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) }
            + [.init(service: service, successTerminationBehavior: .gracefullyShutdownGroup)]
        var configuration = ServiceGroupConfiguration(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        configuration.maximumGracefulShutdownDuration = shutdownWithin
        let watchdog = Task { await exitIfShutdownOverruns(shutdownWithin, name: name) }
        defer { watchdog.cancel() }
        do {
            try await ServiceGroup(configuration: configuration).run()
            return ExitStatus.ok
        } catch let stopped as StoppedBeforeDone {
            fail(name, stopped)
            return ExitStatus.stoppedEarly
        } catch {
            fail(name, error)
            return ExitStatus.failure
        }
    }

    /// After the first SIGTERM or SIGINT, waits `bound` and a second more, then ends the
    /// process: the last resort behind every bounded wait of a graceful shutdown (and behind
    /// the service group's own limit, which leaves a service that does not end behind but
    /// needs the process to get that far). `_exit`, not `exit`: librdkafka's threads may still
    /// run, and exit handlers must not tear their state down under them.
    private static func exitIfShutdownOverruns(_ bound: Duration, name: String) async {
        for await _ in await UnixSignalsSequence(trapping: .sigterm, .sigint) {
            do {
                try await Task.sleep(for: bound + .seconds(1))
            } catch {
                return
            }
            fail(name, "did not stop within \(bound + .seconds(1)) of the signal to stop; exiting without waiting any longer (whatever was not made durable is sent or read again on the next start)")
            _exit(ExitStatus.failure)
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

    public static func fail(_ name: String, _ message: String) {
        ErrorOutput.write(message, text: "\(name): \(message)", from: name)
    }
}
