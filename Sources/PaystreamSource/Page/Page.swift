import PaystreamJSON

/// One response page: its body and where each record lies in it. Record values are
/// forwarded byte for byte from the body, so nothing the API sent is altered.
public struct Page: Sendable {
    public var body: [UInt8]
    public var records: [PageRecord]
    /// The request's redacted URL, for logs and errors.
    public var url: String

    public init(body: [UInt8], records: [PageRecord], url: String) {
        self.body = body
        self.records = records
        self.url = url
    }

    public func value(of record: PageRecord) -> ArraySlice<UInt8> { body[record.range] }

    /// The record's incremental cursor as the API wrote it.
    public func cursor(of record: PageRecord) -> CursorValue? {
        record.cursor.map { scalar(at: $0) }
    }

    /// A hash of the record's key and bytes: equal for two reads of one unchanged record.
    public func contentHash(of record: PageRecord) -> UInt64 {
        body.withUnsafeBytes { RecordHash.hash(UnsafeRawBufferPointer(rebasing: $0[record.range]), seed: RecordHash.hash(key: record.key)) }
    }

    private func scalar(at range: Range<Int>) -> CursorValue {
        let isString = body[range.lowerBound] == UInt8(ascii: "\"")
        guard isString else { return CursorValue(text: String(decoding: body[range], as: UTF8.self), isNumber: true) }
        let content = body[(range.lowerBound + 1)..<(range.upperBound - 1)]
        guard content.contains(UInt8(ascii: "\\")) else { return CursorValue(text: String(decoding: content, as: UTF8.self), isNumber: false) }
        return body.withUnsafeBytes { bytes in
            var reader = JSONReader(bytes)
            let text = (try? reader.skip(to: range.lowerBound)).flatMap { try? reader.skipValue().scalarText(in: bytes) } ?? ""
            return CursorValue(text: text, isNumber: false)
        }
    }
}

public struct PageRecord: Sendable {
    public var range: Range<Int>
    /// The Kafka message key: the primary key's value as text, or for a compound key a
    /// JSON array of the values (see README, "Message format").
    public var key: [UInt8]
    /// Where the incremental cursor's JSON value (a string or a number) lies in the body.
    public var cursor: Range<Int>?
    /// Where the record's version field's JSON value lies in the body (see `VersionField`).
    public var version: Range<Int>?

    public init(range: Range<Int>, key: [UInt8], cursor: Range<Int>? = nil, version: Range<Int>? = nil) {
        self.range = range
        self.key = key
        self.cursor = cursor
        self.version = version
    }
}
