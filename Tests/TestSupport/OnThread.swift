import PaystreamCommandSupport

/// Runs blocking work (librdkafka consumer calls) on a thread of its own, as the services do.
public func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await CommandRuntime.onThread(body)
}
