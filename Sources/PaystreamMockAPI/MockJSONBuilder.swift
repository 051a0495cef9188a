import PaystreamJSON

/// Writes JSON objects straight into bytes, fast enough that generating pages is never
/// what a benchmark measures.
struct MockJSONBuilder {
    var bytes: [UInt8] = []
    private var needsComma = false

    init(capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    mutating func beginObject(_ key: StaticString? = nil) {
        prefix(key)
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    mutating func beginArray(_ key: StaticString? = nil) {
        prefix(key)
        bytes.append(UInt8(ascii: "["))
        needsComma = false
    }

    mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    mutating func string(_ key: StaticString?, _ value: String) {
        prefix(key)
        JSONWriter.appendString(value, to: &bytes)
        needsComma = true
    }

    mutating func timestamp(_ key: StaticString, _ millis: Int64) {
        prefix(key)
        bytes.append(UInt8(ascii: "\""))
        MockClock.append(millis, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    /// A record's cursor field in the API's format.
    mutating func cursor(_ key: StaticString, _ record: MockDataset.RecordVersion, format: MockCursorFormat) {
        switch format {
        case .millis: timestamp(key, record.updatedAt)
        case .seconds:
            prefix(key)
            bytes.append(UInt8(ascii: "\""))
            MockClock.append(record.updatedAt, to: &bytes)
            bytes.removeLast(5)  // ".123Z": shown to the second
            bytes.append(contentsOf: [UInt8(ascii: "Z"), UInt8(ascii: "\"")])
            needsComma = true
        case .epochSeconds: int(key, Int(record.updatedAt / 1000))
        case .sequence: int(key, Int(record.sequence))
        }
    }

    /// Adds a member to the object just closed (`{…}` becomes `{…,"key":"value"}`).
    mutating func appendMember(_ key: String, _ value: String) {
        guard bytes.last == UInt8(ascii: "}") else { return }
        bytes.removeLast()
        if bytes.last != UInt8(ascii: "{") { bytes.append(UInt8(ascii: ",")) }
        JSONWriter.appendString(key, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        JSONWriter.appendString(value, to: &bytes)
        bytes.append(UInt8(ascii: "}"))
    }

    mutating func int(_ key: StaticString?, _ value: Int) {
        prefix(key)
        appendInt(value)
        needsComma = true
    }

    mutating func double(_ key: StaticString, _ value: Double) {
        prefix(key)
        bytes.append(contentsOf: Array(String(value).utf8))
        needsComma = true
    }

    mutating func bool(_ key: StaticString, _ value: Bool) {
        prefix(key)
        appendStatic(value ? "true" : "false")
        needsComma = true
    }

    mutating func null(_ key: StaticString) {
        prefix(key)
        appendStatic("null")
        needsComma = true
    }

    /// Already-encoded JSON (e.g. a rendered record).
    mutating func raw(_ json: some Collection<UInt8>) {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        bytes.append(contentsOf: json)
        needsComma = true
    }

    private mutating func appendStatic(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    private mutating func prefix(_ key: StaticString?) {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        if let key {
            bytes.append(UInt8(ascii: "\""))
            bytes.append(contentsOf: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
            bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
        }
    }

    private mutating func appendInt(_ value: Int) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var v = value.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &digits) { d in
            repeat {
                d[n] = UInt8(48 + v % 10)
                v /= 10
                n += 1
            } while v > 0
            for i in stride(from: n - 1, through: 0, by: -1) { bytes.append(d[i]) }
        }
    }
}
