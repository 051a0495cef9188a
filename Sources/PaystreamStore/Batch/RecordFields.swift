import PaystreamJSON

/// A record's top-level fields, read from its JSON without building a tree. Values point
/// into the message bytes; nested objects and arrays stay JSON text. The fields of a whole
/// batch go into one array, so reading a record allocates nothing.
enum RecordFields {
    enum Value {
        case null
        case integer(Int64)
        case real(Double)
        case bool(Bool)
        /// A string's content; `escaped` strings must be decoded before storing.
        case text(Range<Int>, escaped: Bool)
        /// A nested object or array as raw JSON.
        case json(Range<Int>)
    }

    struct Field {
        /// The name as written (decoded only when a new column is needed).
        var key: JSONString
        var value: Value
        /// The value exactly as written.
        var raw: Range<Int>

        func name(_ bytes: UnsafeRawBufferPointer) -> String { key.decoded(in: bytes) }
    }

    enum Failure: Error, CustomStringConvertible {
        case notJSON(JSONError)
        case notAnObject

        var description: String {
            switch self {
            case .notJSON(let e): "the value is not valid JSON: \(e)"
            case .notAnObject: "the value is JSON but not an object"
            }
        }
    }

    /// Parses `bytes`, which must hold one JSON object, appending its fields to `fields`;
    /// returns where they are. On failure `fields` is as it was.
    static func parse(_ bytes: UnsafeRawBufferPointer, into fields: inout [Field]) throws(Failure) -> Range<Int> {
        let start = fields.count
        var reader = JSONReader(bytes)
        let isObject: Bool
        // Only the reader throws in here, and only `JSONError`: the compiler checks that no
        // other failure needs handling.
        do throws(JSONError) {
            isObject = try reader.peekKind() == .object
            if isObject {
                try reader.beginObject()
                var first = true
                while let key = try reader.nextMember(&first) {
                    let v = try reader.skipValue()
                    fields.append(Field(key: key, value: value(v, bytes), raw: v.range))
                }
                try reader.expectEnd()
            } else {
                _ = try reader.readDocument()  // Invalid JSON is reported as such first.
            }
        } catch {
            fields.removeSubrange(start...)
            throw .notJSON(error)
        }
        // Nothing was appended for a value that is not an object.
        guard isObject else { throw .notAnObject }
        return start..<fields.count
    }

    private static func value(_ v: JSONValue, _ bytes: UnsafeRawBufferPointer) -> Value {
        switch v.kind {
        case .null: .null
        case .bool: v.bool(in: bytes).map(Value.bool) ?? .json(v.range)
        case .number: v.int64(in: bytes).map(Value.integer) ?? .real(v.double(in: bytes) ?? .nan)
        case .string: v.stringContent.map { .text($0.range, escaped: v.hasEscapes) } ?? .json(v.range)
        case .object, .array: .json(v.range)
        }
    }

    /// The field named `name`; a name given twice counts by its last value, as the fetcher
    /// reads it.
    static func field(_ name: String, in fields: ArraySlice<Field>, _ bytes: UnsafeRawBufferPointer) -> Field? {
        fields.last { $0.key.equals(name, in: bytes) }
    }
}
