import PaystreamJSON

/// An incremental cursor value exactly as the API wrote it: its text and whether it was a
/// JSON number. Paystream never reformats a cursor the API gave it; comparisons read
/// RFC 3339 times as instants and numbers as numbers, so `2024-01-01T00:00:00Z` and
/// `2024-01-01T00:00:00.000Z` are equal and `9` comes before `10`.
public struct CursorValue: Sendable, Hashable, Codable, CustomStringConvertible {
    public var text: String
    public var isNumber: Bool

    public init(text: String, isNumber: Bool) {
        self.text = text
        self.isNumber = isNumber
    }

    /// A value from a config (`initial_value`, `end_value`): a number if it reads as one.
    public init(configText text: String) {
        self.init(text: text, isNumber: Double(text) != nil && RFC3339.instant(text) == nil)
    }

    public var description: String { text }

    /// The value as a JSON literal, for request bodies: numbers stay numbers.
    public var jsonLiteral: String { isNumber ? text : JSONWriter.quoted(text) }

    /// The instant of an RFC 3339 text.
    public var instant: RFC3339.Instant? { isNumber ? nil : RFC3339.instant(text) }

    /// How this value orders against others of its kind.
    enum Order: Comparable {
        case integer(Int64)
        case number(Double)
        case instant(RFC3339.Instant)
        case text(String)
    }

    var order: Order {
        if isNumber {
            if let i = Int64(text) { return .integer(i) }
            return .number(Double(text) ?? .nan)
        }
        if let instant { return .instant(instant) }
        return .text(text)
    }

    /// True when `self` comes before `other` in cursor order. Values of different kinds (a
    /// number and a time) never compare as before: the caller treats them as unordered.
    public func isBefore(_ other: CursorValue) -> Bool {
        switch (order, other.order) {
        case (.integer(let a), .integer(let b)): a < b
        case (.integer(let a), .number(let b)): Double(a) < b
        case (.number(let a), .integer(let b)): a < Double(b)
        case (.number(let a), .number(let b)): a < b
        case (.instant(let a), .instant(let b)): a < b
        case (.text(let a), .text(let b)): a < b
        default: false
        }
    }

    /// Equal in cursor order (the same instant written two ways is the same cursor).
    public func isSameCursor(as other: CursorValue) -> Bool {
        !isBefore(other) && !other.isBefore(self) && order.kindMatches(other.order)
    }
}

extension CursorValue.Order {
    func kindMatches(_ other: Self) -> Bool {
        switch (self, other) {
        case (.integer, .integer), (.integer, .number), (.number, .integer), (.number, .number), (.instant, .instant), (.text, .text): true
        default: false
        }
    }
}
