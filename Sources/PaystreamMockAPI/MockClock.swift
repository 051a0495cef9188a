import PaystreamBasics

/// Timestamps in the API's format: RFC 3339 UTC with milliseconds, fixed width, so that
/// text order is time order ("2024-01-05T10:20:30.123Z").
enum MockClock {
    /// 2024-01-01T00:00:00Z in milliseconds since the epoch.
    static let dataSetStart: Int64 = 1_704_067_200_000

    static func nowMillis() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }

    static func format(_ millis: Int64) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(24)
        append(millis, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    static func append(_ millis: Int64, to out: inout [UInt8]) {
        let seconds = millis >= 0 ? millis / 1000 : (millis - 999) / 1000
        let ms = Int(millis - seconds * 1000)
        let time = EpochSeconds(seconds)
        digits(time.date.year, 4, &out); out.append(UInt8(ascii: "-"))
        digits(time.date.month, 2, &out); out.append(UInt8(ascii: "-"))
        digits(time.date.day, 2, &out); out.append(UInt8(ascii: "T"))
        digits(time.hour, 2, &out); out.append(UInt8(ascii: ":"))
        digits(time.minute, 2, &out); out.append(UInt8(ascii: ":"))
        digits(time.second, 2, &out); out.append(UInt8(ascii: "."))
        digits(ms, 3, &out); out.append(UInt8(ascii: "Z"))
    }

    /// Parses the API's own format back to milliseconds; nil for anything else.
    static func parse(_ text: String) -> Int64? {
        let b = Array(text.utf8)
        guard b.count == 24, b[4] == UInt8(ascii: "-"), b[10] == UInt8(ascii: "T"), b[23] == UInt8(ascii: "Z") else { return nil }
        func num(_ from: Int, _ len: Int) -> Int? {
            var v = 0
            for i in from..<(from + len) {
                guard b[i] >= 48 && b[i] <= 57 else { return nil }
                v = v * 10 + Int(b[i] - 48)
            }
            return v
        }
        guard let y = num(0, 4), let mo = num(5, 2), let d = num(8, 2), let h = num(11, 2), let mi = num(14, 2),
              let s = num(17, 2), let ms = num(20, 3), let date = CivilDate(year: y, month: mo, day: d) else { return nil }
        let days = date.daysSinceEpoch
        return ((days * 86_400 + Int64(h * 3600 + mi * 60 + s)) * 1000) + Int64(ms)
    }

    /// RFC 3339 with any number of fractional digits (or none) and `Z` or a numeric offset,
    /// as clients send it; nil for anything else.
    static func parseLenient(_ text: String) -> Int64? {
        let b = Array(text.utf8)
        guard b.count >= 20, b[4] == UInt8(ascii: "-"), b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: " ") else { return nil }
        var i = 19
        var fraction: Int64 = 0
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            var scale: Int64 = 100
            while i < b.count, b[i] >= 48, b[i] <= 57 {
                fraction += Int64(b[i] - 48) * scale
                scale /= 10
                i += 1
            }
        }
        var offsetMinutes = 0
        if i < b.count, b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") {
            i += 1
        } else if i + 6 == b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-"),
                  let h = Int(String(decoding: b[(i + 1)..<(i + 3)], as: UTF8.self)),
                  let m = Int(String(decoding: b[(i + 4)..<(i + 6)], as: UTF8.self)) {
            offsetMinutes = (h * 60 + m) * (b[i] == UInt8(ascii: "+") ? 1 : -1)
            i += 6
        }
        guard i == b.count else { return nil }
        var head = Array(b[0..<19])
        head[10] = UInt8(ascii: "T")
        let base = String(decoding: head, as: UTF8.self) + ".000Z"
        guard let seconds = parse(base) else { return nil }
        return seconds + fraction - Int64(offsetMinutes) * 60_000
    }

    private static func digits(_ value: Int, _ width: Int, _ out: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        var v = value
        while divisor > 0 {
            out.append(UInt8(48 + v / divisor % 10))
            v %= divisor * 10
            divisor /= 10
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
