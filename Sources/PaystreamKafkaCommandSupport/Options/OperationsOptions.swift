import ArgumentParser
import PaystreamCommandSupport
import PaystreamOperations

/// `--http-address`.
public struct OperationsOptions: ParsableArguments {
    @Option(name: .customLong("http-address"),
            help: "Serve /metrics, /livez and /readyz on HOST:PORT (off unless given; :PORT listens on every interface, port 0 picks a free one).",
            transform: { text in
                guard let address = HTTPAddress(parsing: text) else {
                    throw ValidationError("expected HOST:PORT, [IPv6]:PORT or :PORT, with a port \(NumericRange<Int>.port)")
                }
                return address
            })
    public var httpAddress: HTTPAddress?

    public init() {}
}
