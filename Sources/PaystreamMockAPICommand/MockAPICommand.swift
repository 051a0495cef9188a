import ArgumentParser
import Logging
import PaystreamMockAPI
import ServiceLifecycle
import UnixSignals

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

    func run() async throws {
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
        let logger = Logger(label: "paystream.mock-api")
        let dataset = MockDataset(seed: seed, recordsPerResource: records)
        let server = MockAPIServer(configuration: .init(host: host, port: port, apiKey: apiKey), dataset: dataset, logger: logger)
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: MockAPIService(server: server), successTerminationBehavior: .gracefullyShutdownGroup)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        try await group.run()
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
