/// Faults the mock API injects into list requests, for retry and failure tests.
public struct MockFaults: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        /// 429 with `Retry-After: 0` or `1`.
        case tooManyRequests = "429"
        case serverError = "500"
        case unavailable = "503"
        /// The connection is closed without an answer.
        case dropConnection = "drop"
        /// The answer comes after `slowDelay`.
        case slow
        /// The head and half the body are sent, then nothing: the connection stays open.
        case stall
    }

    /// Fraction (0…1) of list requests that meet one of `kinds`.
    public var rate = 0.0
    public var kinds: [Kind] = [.tooManyRequests, .serverError, .unavailable, .dropConnection, .slow]
    /// Fraction of list responses sent as 200 with a truncated JSON body.
    public var truncateRate = 0.0
    public var slowDelay: Duration = .milliseconds(300)
    /// Every list response comes this much later: an API far away (not a fault).
    public var latency: Duration = .zero
    /// Only these resources meet faults (nil: every resource).
    public var resources: Set<MockResource>?

    public init(rate: Double = 0, kinds: [Kind] = [.tooManyRequests, .serverError, .unavailable, .dropConnection, .slow], truncateRate: Double = 0) {
        self.rate = rate
        self.kinds = kinds
        self.truncateRate = truncateRate
    }
}
