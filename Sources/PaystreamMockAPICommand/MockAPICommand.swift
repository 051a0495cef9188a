import ArgumentParser
import Logging
import PaystreamCommandSupport
import PaystreamMockAPI
import ServiceLifecycle

@main
struct MockAPICommand: PaystreamCommand {
    static let configuration = CommandConfiguration(
        commandName: "paystream-mock-api",
        abstract: "A deterministic Stripe-like payment API for demos, tests and benchmarks.",
        version: PaystreamVersion.number
    )

    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on (0 picks a free one).", range: .port) var port = 8080
    @Option(help: "Records per resource.", range: NumericRange(0, 100_000_000)) var records = 1000
    @Option(help: "Seed: the same seed always serves the same data.") var seed: UInt64 = 1
    @Option(name: .customLong("api-key"), help: "The API key clients must send: as the api_key query parameter or cookie, an X-API-Key header, a bearer token, HTTP basic, or OAuth2 client credentials.")
    var apiKey: String
    @Option(name: .customLong("updates-per-second"), help: "Records updated per second while serving (each moves to the end of the listing).",
            range: NumericRange(0, 1_000_000))
    var updatesPerSecond = 0.0
    @Option(name: .customLong("creates-per-second"), help: "Records created per second while serving.", range: NumericRange(0, 1_000_000))
    var createsPerSecond = 0.0
    @Option(name: .customLong("fault-rate"), help: "Fraction of list requests answered with a fault (429, 500, 503, dropped, slow).", range: .fraction)
    var faultRate = 0.0
    @Option(name: .customLong("faults"), help: "Comma-separated fault kinds: 429,500,503,drop,slow,stall (head and half a body, then silence).")
    var faultKinds = "429,500,503,drop,slow"
    @Option(name: .customLong("truncate-rate"), help: "Fraction of list responses sent as truncated JSON.", range: .fraction) var truncateRate = 0.0
    @Option(name: .customLong("latency-ms"), help: "Milliseconds every list response is delayed by (an API far away).", range: NumericRange(0, 3_600_000))
    var latencyMilliseconds = 0
    @Option(name: .customLong("token-lifetime"), help: "Seconds an OAuth2 token from /oauth/token is valid.", range: NumericRange(1, 365 * 86_400))
    var tokenLifetime = 3600
    @Flag(help: "Render every record at start (more memory, near-free pages): for benchmarks.") var prerender = false
    @Option(name: .customLong("cursor-format"), help: "updated_at as millis (RFC 3339 with ms), seconds (RFC 3339, whole seconds), epoch-seconds (integer) or sequence (a change counter).")
    var cursorFormat = MockCursorFormat.millis
    @Option(name: .customLong("ties"), help: "Records share updated_at in groups of up to N, listed in a new order on every request (0: none).",
            range: NumericRange(0, 10_000))
    var ties = 0
    @Option(name: .customLong("volatile-field"), help: "Add a field with this name whose value changes on every request.") var volatileField: String?
    @Option(name: .customLong("page-size-cap"), help: "Serve at most N records per page whatever limit asks (limits up to 10000 accepted).",
            range: NumericRange(1, 10_000))
    var pageSizeCap: Int?
    @Option(name: .customLong("redirect-to"), help: "Answer every list request with 307 to this origin (e.g. http://127.0.0.1:9).") var redirectTo: String?
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        logging.bootstrap()
        let logger = Logger(label: "paystream.mock-api")
        var options = MockListingOptions()
        options.cursorFormat = cursorFormat
        options.tieGroups = ties
        options.volatileField = volatileField
        options.pageSizeCap = pageSizeCap
        options.redirectTo = redirectTo
        let dataset = MockDataset(seed: seed, recordsPerResource: records, prerender: prerender, options: options)
        let server = MockAPIServer(
            configuration: .init(host: host, port: port, apiKey: apiKey, tokenLifetime: .seconds(tokenLifetime)), dataset: dataset, logger: logger
        )
        let kinds = try faultKinds.split(separator: ",").map { name in
            guard let kind = MockFaults.Kind(rawValue: String(name)) else { throw ValidationError("unknown fault kind \(name)") }
            return kind
        }
        var faults = MockFaults(rate: faultRate, kinds: kinds, truncateRate: truncateRate)
        faults.latency = .milliseconds(latencyMilliseconds)
        server.faults = faults
        let writer = MockWriter(dataset: dataset, updatesPerSecond: updatesPerSecond, createsPerSecond: createsPerSecond)
        let status = await CommandRuntime.run(MockAPIService(server: server, writer: writer), name: "paystream-mock-api", shutdownWithin: .seconds(5), logger: logger)
        if status != ExitStatus.ok { throw ExitCode(status) }
    }
}

struct MockAPIService: Service {
    let server: MockAPIServer
    let writer: MockWriter

    func run() async throws {
        let port = try await server.start()
        print("listening on port \(port)")
        try await withGracefulShutdownHandler {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await server.waitUntilStopped() }
                group.addTask { await writer.run() }
                try await group.next()
                group.cancelAll()
            }
        } onGracefulShutdown: {
            server.stop()
        }
    }
}

extension MockCursorFormat: ExpressibleByArgument {}
