import ArgumentParser

/// The values a numeric command-line option accepts, from `lowest` to `highest`. Declared
/// with the option (`@Option(help:range:)`, in `Option+Range.swift`), it is checked by
/// ArgumentParser while it parses the command line: a value outside it is a usage error
/// (exit status 2) that names the option, the value and the range, before any work is done
/// and under `--check` too. `--help` shows it with the default.
///
/// Every range has an upper end as well: a value the code cannot hold (`--interval 1e300`,
/// more seconds than a `Duration` holds; `--partitions 3000000000`, more than Kafka's 32-bit
/// count) is refused here rather than trapping later. NaN is in no range.
public struct NumericRange<Value: Comparable & LosslessStringConvertible & Sendable>: Sendable, CustomStringConvertible {
    public let lowest: Value
    public let highest: Value

    public init(_ lowest: Value, _ highest: Value) {
        precondition(lowest <= highest, "an empty range")
        self.lowest = lowest
        self.highest = highest
    }

    public var description: String { "from \(Self.text(lowest)) to \(Self.text(highest))" }

    /// `text` as a value in the range, or an error saying what the option takes
    /// (ArgumentParser puts the option's name and the value given before it).
    public func parse(_ text: String) throws -> Value {
        guard let value = Value(text) else {
            throw ValidationError("expected \(Value.self is any BinaryInteger.Type ? "a whole number" : "a number") \(self)")
        }
        // Written so that NaN, which compares false with everything, is outside.
        guard value >= lowest && value <= highest else { throw ValidationError("must be \(self)") }
        return value
    }

    /// `60`, `0.001`: a whole floating-point value without the `.0`.
    static func text(_ value: Value) -> String {
        if let double = value as? Double, double == double.rounded(), abs(double) < 1e15 { return String(Int64(double)) }
        return value.description
    }
}

extension NumericRange where Value == Double {
    /// Intervals and timeouts in seconds: from a millisecond (the finest any of them is used
    /// at) to a year.
    public static var seconds: Self { Self(0.001, 365 * 86_400) }

    /// A fraction of requests, from none to all.
    public static var fraction: Self { Self(0, 1) }
}

extension NumericRange where Value == Int {
    /// A TCP port; 0 lets the system pick a free one.
    public static var port: Self { Self(0, 65_535) }
}
