/// Retry policy, as the seed's `error_handler` writes it.
public struct ErrorHandlerConfig: Sendable, Equatable {
    public var retryOnStatusCodes: Set<Int> = [429, 500, 502, 503, 504]
    /// Attempts after the first one.
    public var maximumRetries = 5
    /// Backoff before retry n (1-based) is `backoff_factor * 2^(n-1)` seconds, with jitter.
    public var backoffFactor = 1.0
    public var maximumBackoff = 60.0
    /// Per-request timeout in seconds.
    public var requestTimeout = 30.0

    public init() {}

    /// `value`'s keys override `base`.
    init(_ value: ConfigValue, over base: ErrorHandlerConfig, at path: String) throws(ConfigError) {
        self = base
        var r = try ConfigReader(value, at: path)
        if let codes = try r.array("retry_on_status_codes") {
            retryOnStatusCodes = Set(try codes.enumerated().map { (i, c) throws(ConfigError) -> Int in
                guard case .int(let code) = c else { throw ConfigError(at: "\(r.child("retry_on_status_codes"))[\(i)]", "expected an HTTP status code") }
                return code
            })
        }
        maximumRetries = try r.int("max_retries") ?? maximumRetries
        backoffFactor = try r.double("backoff_factor") ?? backoffFactor
        maximumBackoff = try r.double("max_backoff") ?? maximumBackoff
        requestTimeout = try r.double("request_timeout") ?? requestTimeout
        guard maximumRetries >= 0 else { throw ConfigError(at: r.child("max_retries"), "must not be negative") }
        try r.finish()
    }
}
