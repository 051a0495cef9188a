import Foundation
import PaystreamConfig

/// One incremental run's window: from the stored cursor (minus `lag`) up to an end pinned
/// when the run starts. Records written while the run pages have a cursor at or after the
/// end, so they fall in the next run's window; the stored cursor becomes this end only once
/// every record of the window was acknowledged.
struct IncrementalWindow: Equatable {
    /// Sent as `start_param`; nil on a first run without `initial_value`.
    var start: String?
    /// Sent as `end_param` when configured; saved as the cursor after success.
    var end: String

    init(config: IncrementalConfig, storedCursor: String?, now: Date = Date()) {
        let from = storedCursor ?? config.initialValue
        start = from.map { CursorValue.subtract(seconds: config.lag, from: $0) }
        end = config.endValue ?? CursorValue.format(now, like: from)
    }

    func parameters(_ config: IncrementalConfig) -> [String: String] {
        var params: [String: String] = [:]
        if let name = config.startParam, let start { params[name] = start }
        if let name = config.endParam { params[name] = end }
        return params
    }
}

/// Cursor values are RFC 3339 timestamps or epoch numbers; Paystream keeps the style the
/// API uses.
enum CursorValue {
    static func format(_ date: Date, like example: String?) -> String {
        if let example, let number = Double(example), number.isFinite {
            // Epoch seconds or milliseconds, judged by magnitude.
            return number > 1e11 ? String(Int64(date.timeIntervalSince1970 * 1000)) : String(Int64(date.timeIntervalSince1970))
        }
        return Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(date)
    }

    static func subtract(seconds lag: Double, from value: String) -> String {
        guard lag > 0 else { return value }
        if let number = Double(value), number.isFinite {
            return number > 1e11 ? String(Int64(number - lag * 1000)) : String(Int64(number - lag))
        }
        guard let date = parse(value) else { return value }
        return format(date.addingTimeInterval(-lag), like: nil)
    }

    static func parse(_ text: String) -> Date? {
        if let d = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) { return d }
        return try? Date.ISO8601FormatStyle().parse(text)
    }
}
