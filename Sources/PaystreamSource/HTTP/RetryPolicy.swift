import Foundation
import PaystreamConfig

/// When and how long to wait before retrying a request.
struct RetryPolicy: Sendable {
    let config: ErrorHandlerConfig
    /// A `Retry-After` shorter than this is raised to it, so `Retry-After: 0` cannot burn
    /// every attempt in a burst.
    static let retryAfterFloor = 0.05

    func shouldRetry(status: Int) -> Bool { config.retryOnStatusCodes.contains(status) }

    /// Seconds to wait before retry number `attempt` (1-based): exponential with full
    /// jitter between half and all of `backoff_factor * 2^(attempt-1)`, capped; a server's
    /// `Retry-After` wins when it is longer.
    func delay(attempt: Int, retryAfter: String?) -> Double {
        let exponential = min(config.maximumBackoff, config.backoffFactor * pow(2, Double(attempt - 1)))
        let jittered = exponential * Double.random(in: 0.5...1.0)
        guard let retryAfter, let server = Self.parseRetryAfter(retryAfter) else { return jittered }
        return min(config.maximumBackoff, max(server, Self.retryAfterFloor, jittered))
    }

    /// `Retry-After` as seconds (an integer) or an HTTP date.
    static func parseRetryAfter(_ value: String, now: Date = Date()) -> Double? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(trimmed) { return max(0, seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: trimmed) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }
}
