import ArgumentParser
import PaystreamOperations

/// `--http-address`.
public struct OperationsOptions: ParsableArguments {
    @Option(name: .customLong("http-address"),
            help: "Serve /metrics, /livez and /readyz on HOST:PORT (off unless given; :PORT listens on every interface, port 0 picks a free one).",
            transform: { text in
                guard let address = HTTPAddress(parsing: text) else {
                    throw ValidationError("--http-address expects HOST:PORT, [IPv6]:PORT or :PORT, got '\(text)'")
                }
                return address
            })
    public var httpAddress: HTTPAddress?

    public init() {}
}
