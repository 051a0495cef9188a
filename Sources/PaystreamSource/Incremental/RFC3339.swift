import Foundation
import PaystreamBasics

/// RFC 3339 times as APIs write cursors (`2024-01-05T10:20:30Z`, `…30.123456+02:00`,
/// `2024-01-05 10:20:30Z`, `2024-01-05`): read without Foundation's formatters (they are
/// slow and strict about fraction digits), and written back in the layout of an example.
public enum RFC3339 {
    /// A point in time, UTC, to the nanosecond.
    public struct Instant: Comparable, Hashable, Sendable, Codable {
        public var seconds: Int64
        public var nanoseconds: Int32

        public init(seconds: Int64, nanoseconds: Int32) {
            self.seconds = seconds
            self.nanoseconds = nanoseconds
        }

        public init(_ date: Date) {
            let t = date.timeIntervalSince1970
            let whole = t.rounded(.down)
            self.init(seconds: Int64(whole), nanoseconds: Int32(((t - whole) * 1e9).rounded(.down)))
        }

        public static func < (a: Self, b: Self) -> Bool { (a.seconds, a.nanoseconds) < (b.seconds, b.nanoseconds) }

        public func adding(seconds delta: Double) -> Instant {
            let total = Double(seconds) + Double(nanoseconds) / 1e9 + delta
            let whole = total.rounded(.down)
            return Instant(seconds: Int64(whole), nanoseconds: Int32(((total - whole) * 1e9).rounded()))
        }
    }

    /// How an API writes its times: the date-time separator, fraction digits and zone.
    public struct Layout: Sendable, Equatable {
        var separator: UInt8 = UInt8(ascii: "T")
        var fractionDigits = 3
        /// `Z`, or nil for a numeric `+00:00`.
        var zulu = true
        var dateOnly = false

        /// The layout of `example`, or nil when it is not an RFC 3339 time.
        public init?(of example: String) {
            let b = Array(example.utf8)
            guard RFC3339.instant(example) != nil else { return nil }
            if b.count == 10 {
                dateOnly = true
                return
            }
            separator = b[10]
            var i = 19
            fractionDigits = 0
            if i < b.count, b[i] == UInt8(ascii: ".") {
                i += 1
                while i < b.count, b[i] >= 48, b[i] <= 57 {
                    fractionDigits += 1
                    i += 1
                }
            }
            zulu = i < b.count && (b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z"))
        }

        /// `instant` written in this layout, in UTC, truncated to the layout's precision.
        public func format(_ instant: Instant) -> String {
            let time = EpochSeconds(instant.seconds)
            var out = pad(time.date.year, 4) + "-" + pad(time.date.month, 2) + "-" + pad(time.date.day, 2)
            if dateOnly { return out }
            out += String(UnicodeScalar(separator)) + pad(time.hour, 2) + ":" + pad(time.minute, 2) + ":" + pad(time.second, 2)
            if fractionDigits > 0 {
                let nanos = pad(Int(instant.nanoseconds), 9)
                out += "." + String(nanos.prefix(min(9, fractionDigits))) + String(repeating: "0", count: max(0, fractionDigits - 9))
            }
            return out + (zulu ? "Z" : "+00:00")
        }
    }

    /// The instant `text` names, or nil when it is not an RFC 3339 time (or a date).
    public static func instant(_ text: String) -> Instant? {
        var text = text
        return text.withUTF8 { instant(UnsafeRawBufferPointer($0)) }
    }

    static func instant(_ b: UnsafeRawBufferPointer) -> Instant? {
        func digits(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= b.count else { return nil }
            var v = 0
            for i in from..<(from + count) {
                guard b[i] >= 48, b[i] <= 57 else { return nil }
                v = v * 10 + Int(b[i] - 48)
            }
            return v
        }
        guard b.count >= 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
              let year = digits(0, 4), let month = digits(5, 2), let day = digits(8, 2),
              let date = CivilDate(year: year, month: month, day: day) else { return nil }
        let days = date.daysSinceEpoch
        if b.count == 10 { return Instant(seconds: days * 86_400, nanoseconds: 0) }
        guard b.count >= 20, [UInt8(ascii: "T"), UInt8(ascii: "t"), UInt8(ascii: " ")].contains(b[10]),
              b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"),
              let hour = digits(11, 2), let minute = digits(14, 2), let second = digits(17, 2),
              hour < 24, minute < 60, second <= 60 else { return nil }
        var i = 19
        var nanos = 0
        if b[i] == UInt8(ascii: ".") {
            i += 1
            var scale = 100_000_000
            let start = i
            while i < b.count, b[i] >= 48, b[i] <= 57 {
                nanos += Int(b[i] - 48) * scale
                scale /= 10
                i += 1
            }
            guard i > start else { return nil }
        }
        guard i < b.count else { return nil }
        var offset = 0
        if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") {
            i += 1
        } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-"), b.count == i + 6, b[i + 3] == UInt8(ascii: ":"),
                  let oh = digits(i + 1, 2), let om = digits(i + 4, 2) {
            offset = (oh * 3600 + om * 60) * (b[i] == UInt8(ascii: "+") ? 1 : -1)
            i += 6
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offset)
        return Instant(seconds: seconds, nanoseconds: Int32(nanos))
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
