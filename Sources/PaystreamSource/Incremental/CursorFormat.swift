/// How an API writes its cursor, learnt from one of its values, so that a time Paystream
/// pins (a window's end) is written the API's way. A counter has no relation to a clock:
/// Paystream never turns a time into one.
public enum CursorFormat: Sendable, Equatable {
    case time(RFC3339.Layout)
    case epochSeconds
    case epochMilliseconds
    /// A sequence number, a version, an opaque token: not a time.
    case opaque

    /// Integers in these ranges read as epoch times (2001 to 2286); others are counters.
    static let epochSecondsRange: ClosedRange<Double> = 1e9...1e10
    static let epochMillisecondsRange: ClosedRange<Double> = 1e12...1e13

    public init(example: CursorValue) {
        if example.isNumber {
            let value = Double(example.text) ?? 0
            self = Self.epochSecondsRange.contains(value) ? .epochSeconds : Self.epochMillisecondsRange.contains(value) ? .epochMilliseconds : .opaque
        } else if let layout = RFC3339.Layout(of: example.text) {
            self = .time(layout)
        } else {
            self = .opaque
        }
    }

    /// `instant` as a cursor of this format, truncated to its precision; nil for `.opaque`.
    public func cursor(at instant: RFC3339.Instant) -> CursorValue? {
        switch self {
        case .time(let layout): CursorValue(text: layout.format(instant), isNumber: false)
        case .epochSeconds: CursorValue(text: String(instant.seconds), isNumber: true)
        case .epochMilliseconds: CursorValue(text: String(instant.seconds * 1000 + Int64(instant.nanoseconds / 1_000_000)), isNumber: true)
        case .opaque: nil
        }
    }

    /// The instant a cursor value names, for any format that is a time.
    public static func instant(of value: CursorValue) -> RFC3339.Instant? {
        if let instant = value.instant { return instant }
        guard value.isNumber, let number = Double(value.text) else { return nil }
        if epochSecondsRange.contains(number) { return RFC3339.Instant(seconds: Int64(number), nanoseconds: 0) }
        if epochMillisecondsRange.contains(number) {
            let millis = Int64(number)
            return RFC3339.Instant(seconds: millis / 1000, nanoseconds: Int32(millis % 1000) * 1_000_000)
        }
        return nil
    }

    /// `value` minus `lag` as dlt applies it: seconds for times, the cursor's own unit for
    /// numbers.
    public static func subtract(_ lag: Double, from value: CursorValue) -> CursorValue {
        guard lag > 0 else { return value }
        if value.isNumber {
            if let integer = Int64(value.text), lag == lag.rounded() { return CursorValue(text: String(integer - Int64(lag)), isNumber: true) }
            return CursorValue(text: String((Double(value.text) ?? 0) - lag), isNumber: true)
        }
        guard let instant = value.instant, let layout = RFC3339.Layout(of: value.text) else { return value }
        return CursorValue(text: layout.format(instant.adding(seconds: -lag)), isNumber: false)
    }
}
