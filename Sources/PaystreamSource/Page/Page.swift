/// One response page: its body and where each record lies in it. Record values are
/// forwarded byte for byte from the body, so nothing the API sent is altered.
public struct Page: Sendable {
    public var body: [UInt8]
    public var records: [PageRecord]
    /// The request's redacted URL, for logs and errors.
    public var url: String

    public func value(of record: PageRecord) -> ArraySlice<UInt8> { body[record.range] }
}

public struct PageRecord: Sendable {
    public var range: Range<Int>
    /// The Kafka message key: the primary key's value as text, or for a compound key a
    /// JSON array of the values (see README, "Message format").
    public var key: [UInt8]
    /// The incremental cursor's value as text, when the resource has one.
    public var cursor: String?
}
