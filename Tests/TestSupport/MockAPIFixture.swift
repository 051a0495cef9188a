import Logging
import PaystreamMockAPI

/// Runs the mock payment API in this process on a free port for the duration of `body`.
/// `options` choose how it lists (cursor format, ties, volatile fields, caps, redirects).
public func withMockAPI<T>(
    records: Int, seed: UInt64 = 7, apiKey: String = "test-key-9f3c", options: MockListingOptions = MockListingOptions(),
    _ body: (_ server: MockAPIServer, _ baseURL: String) async throws -> T
) async throws -> T {
    let server = MockAPIServer(
        configuration: .init(port: 0, apiKey: apiKey),
        dataset: MockDataset(seed: seed, recordsPerResource: records, options: options),
        logger: Logger(label: "test.mock-api")
    )
    let port = try await server.start()
    do {
        let result = try await body(server, "http://127.0.0.1:\(port)")
        server.stop()
        return result
    } catch {
        server.stop()
        throw error
    }
}
