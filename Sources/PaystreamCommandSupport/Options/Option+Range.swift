import ArgumentParser

// Numeric options declared with the values they accept, so that every command checks its
// numbers the same way, in one place, as ArgumentParser parses them:
//
//     @Option(help: "Partitions for topics the fetcher creates.", range: NumericRange(1, 100_000)) var partitions = 8
//
// (ArgumentParser shows no default for an option with a `transform`: the help text gets
// the range and the default here instead.)

extension Option where Value: Comparable & LosslessStringConvertible & Sendable {
    /// A numeric option with a default, checked against `range`.
    public init(wrappedValue: Value, name: NameSpecification = .long, help: String, range: NumericRange<Value>) {
        self.init(
            wrappedValue: wrappedValue, name: name,
            help: ArgumentHelp("\(help) (\(range); default: \(NumericRange<Value>.text(wrappedValue)))"),
            transform: { try range.parse($0) }
        )
    }
}

extension Option {
    /// A numeric option without a default (nil unless given), checked against `range`.
    public init<Number>(name: NameSpecification = .long, help: String, range: NumericRange<Number>) where Value == Number? {
        self.init(name: name, help: ArgumentHelp("\(help) (\(range))"), transform: { try range.parse($0) })
    }
}
