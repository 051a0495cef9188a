import ArgumentParser
import Logging
import PaystreamCommandSupport
import PaystreamMockAPI
import ServiceLifecycle

@main
struct MockAPICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "paystream-mock-api",
        abstract: "A deterministic Stripe-like payment API for demos, tests and benchmarks."
    )

    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on (0 picks a free one).") var port = 8080
    @Option(help: "Records per resource.") var records = 1000
    @Option(help: "Seed: the same seed always serves the same data.") var seed: UInt64 = 1
    @Option(name: .customLong("api-key"), help: "The API key clients must send in the api_key query parameter.")
    var apiKey: String
    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.") var logLevel = "info"

    func run() async throws {
        CommandRuntime.bootstrapLogging(level: logLevel)
        let logger = Logger(label: "paystream.mock-api")
        let dataset = MockDataset(seed: seed, recordsPerResource: records)
        let server = MockAPIServer(configuration: .init(host: host, port: port, apiKey: apiKey), dataset: dataset, logger: logger)
        guard await CommandRuntime.run(MockAPIService(server: server), name: "paystream-mock-api", shutdownWithin: .seconds(5), logger: logger) else {
            throw ExitCode(1)
        }
    }
}

struct MockAPIService: Service {
    let server: MockAPIServer

    func run() async throws {
        let port = try await server.start()
        print("listening on http://127.0.0.1:\(port)")
        try await withGracefulShutdownHandler {
            try await server.waitUntilStopped()
        } onGracefulShutdown: {
            server.stop()
        }
    }
}
