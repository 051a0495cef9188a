import PaystreamJSON

/// A record version's cursor as the store compares it, bound to the hidden column
/// `_paystream_cursor` so that SQLite's own ordering of that column is the newest-wins order
/// (NULL < numbers < text < blobs):
///
/// - missing or null → NULL: older than everything, and a version without a cursor never
///   replaces a row that has one;
/// - a number, or a string that is a JSON number → INTEGER or REAL, compared as numbers;
/// - an RFC 3339 / ISO 8601 time → TEXT in canonical UTC form, compared as instants;
/// - anything else (other text, booleans, objects, arrays) → BLOB of its JSON, compared
///   byte by byte, after every number and time.
///
/// One total order, so replaying any messages in any order converges on the same rows.
enum CursorKey: Equatable {
    case missing
    case integer(Int64)
    case real(Double)
    /// Canonical UTC text (`Timestamp.canonicalLength` bytes) in the batch's scratch buffer.
    case instant(Range<Int>)
    /// The value's raw JSON bytes in the message.
    case other(Range<Int>)

    /// The key of `field` in a record whose bytes are `bytes`; canonical instants are
    /// appended to `scratch`.
    static func of(_ field: RecordFields.Field?, _ bytes: UnsafeRawBufferPointer, scratch: inout [UInt8]) -> CursorKey {
        guard let field else { return .missing }
        switch field.value {
        case .null: return .missing
        case .integer(let i): return .integer(i)
        case .real(let d): return d.isNaN ? .other(field.raw) : .real(d)
        case .bool, .json: return .other(field.raw)
        case .text(let range, let escaped):
            // Times and numbers are ASCII: an escaped string is neither.
            guard !escaped else { return .other(field.raw) }
            let text = UnsafeRawBufferPointer(rebasing: bytes[range])
            if let number = number(text) { return number }
            let start = scratch.count
            scratch.append(contentsOf: repeatElement(0, count: Timestamp.canonicalLength))
            let written = scratch.withUnsafeMutableBytes { out in
                Timestamp.canonical(text, into: UnsafeMutableRawBufferPointer(rebasing: out[start...]))
            }
            guard written else {
                scratch.removeLast(Timestamp.canonicalLength)
                return .other(field.raw)
            }
            return .instant(start..<scratch.count)
        }
    }

    /// A string holding exactly a JSON number.
    private static func number(_ text: UnsafeRawBufferPointer) -> CursorKey? {
        guard let first = text.first, first == UInt8(ascii: "-") || (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")) else {
            return nil
        }
        var reader = JSONReader(text)
        guard let value = try? reader.skipValue(), value.kind == .number, (try? reader.expectEnd()) != nil else { return nil }
        if let i = value.int64(in: text) { return .integer(i) }
        return value.double(in: text).map(CursorKey.real)
    }
}
