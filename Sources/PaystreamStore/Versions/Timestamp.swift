import PaystreamBasics

/// RFC 3339 / ISO 8601 times read into one instant, written back as fixed-width UTC text
/// (`2024-01-02T03:04:05.000000000Z`) whose byte order is chronological order.
///
/// Accepted: `YYYY-MM-DD`, optionally followed by `T`, `t` or a space and `HH:MM`,
/// `HH:MM:SS` or `HH:MM:SS.fraction`, optionally followed by `Z`, `z`, `±HH:MM`, `±HHMM` or
/// `±HH`. A time without an offset is UTC. Fractions beyond nanoseconds are cut off.
enum Timestamp {
    /// Length of the canonical text.
    static let canonicalLength = 30

    /// Writes the canonical UTC form of `text` into `out` (at least `canonicalLength`
    /// bytes) and returns true, or returns false when `text` is not such a time.
    static func canonical(_ text: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer) -> Bool {
        guard let seconds = parse(text) else { return false }
        return format(seconds.epoch, nanoseconds: seconds.nanoseconds, into: out)
    }

    /// Seconds since 1970-01-01T00:00:00Z and the fraction in nanoseconds.
    static func parse(_ text: UnsafeRawBufferPointer) -> (epoch: Int64, nanoseconds: Int32)? {
        var scanner = Scanner(bytes: text)
        guard let year = scanner.digits(4), scanner.take(UInt8(ascii: "-")),
              let month = scanner.digits(2), scanner.take(UInt8(ascii: "-")),
              let day = scanner.digits(2), let date = CivilDate(year: year, month: month, day: day)
        else { return nil }
        var hour = 0, minute = 0, second = 0, nanoseconds: Int32 = 0, offset = 0
        if scanner.takeAny([UInt8(ascii: "T"), UInt8(ascii: "t"), UInt8(ascii: " ")]) {
            guard let h = scanner.digits(2), scanner.take(UInt8(ascii: ":")), let m = scanner.digits(2),
                  h < 24, m < 60 else { return nil }
            hour = h
            minute = m
            if scanner.take(UInt8(ascii: ":")) {
                guard let s = scanner.digits(2), s <= 60 else { return nil }
                second = s
                if scanner.take(UInt8(ascii: ".")) || scanner.take(UInt8(ascii: ",")) {
                    guard let fraction = scanner.fraction() else { return nil }
                    nanoseconds = fraction
                }
            }
            if scanner.takeAny([UInt8(ascii: "Z"), UInt8(ascii: "z")]) {
                offset = 0
            } else if let sign = scanner.peek(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                scanner.position += 1
                guard let oh = scanner.digits(2), oh < 24 else { return nil }
                var om = 0
                if scanner.take(UInt8(ascii: ":")) {
                    guard let m = scanner.digits(2) else { return nil }
                    om = m
                } else if let m = scanner.digits(2) {
                    om = m
                }
                guard om < 60 else { return nil }
                offset = (oh * 3600 + om * 60) * (sign == UInt8(ascii: "-") ? -1 : 1)
            }
        }
        guard scanner.atEnd else { return nil }
        let epoch = date.daysSinceEpoch * 86_400 + Int64(hour * 3600 + minute * 60 + second - offset)
        return (epoch, nanoseconds)
    }

    /// The canonical text for an instant; false when its year is outside 0000–9999.
    static func format(_ epoch: Int64, nanoseconds: Int32, into out: UnsafeMutableRawBufferPointer) -> Bool {
        let time = EpochSeconds(epoch)
        guard (0...9999).contains(time.date.year) else { return false }
        var at = 0
        func put(_ value: Int, width: Int) {
            var v = value
            for i in stride(from: width - 1, through: 0, by: -1) {
                out[at + i] = UInt8(ascii: "0") + UInt8(v % 10)
                v /= 10
            }
            at += width
        }
        func put(_ byte: Unicode.Scalar) {
            out[at] = UInt8(ascii: byte)
            at += 1
        }
        put(time.date.year, width: 4); put("-"); put(time.date.month, width: 2); put("-"); put(time.date.day, width: 2); put("T")
        put(time.hour, width: 2); put(":"); put(time.minute, width: 2); put(":"); put(time.second, width: 2)
        put("."); put(Int(nanoseconds), width: 9); put("Z")
        return true
    }

    private struct Scanner {
        let bytes: UnsafeRawBufferPointer
        var position = 0

        var atEnd: Bool { position == bytes.count }

        func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

        mutating func take(_ byte: UInt8) -> Bool {
            guard peek() == byte else { return false }
            position += 1
            return true
        }

        mutating func takeAny(_ choices: [UInt8]) -> Bool {
            guard let b = peek(), choices.contains(b) else { return false }
            position += 1
            return true
        }

        /// Exactly `count` ASCII digits.
        mutating func digits(_ count: Int) -> Int? {
            guard position + count <= bytes.count else { return nil }
            var value = 0
            for i in 0..<count {
                let b = bytes[position + i]
                guard b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(b - UInt8(ascii: "0"))
            }
            position += count
            return value
        }

        /// One or more digits after the decimal mark, as nanoseconds (extra digits cut off).
        mutating func fraction() -> Int32? {
            var value: Int32 = 0
            var count = 0
            while let b = peek(), b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") {
                if count < 9 { value = value * 10 + Int32(b - UInt8(ascii: "0")) }
                count += 1
                position += 1
            }
            guard count > 0 else { return nil }
            for _ in count..<max(count, 9) { value *= 10 }
            return value
        }
    }
}
