/// Header names on Paystream's messages (README, "Message format").
public enum MessageHeaders {
    /// On record messages: the resource the record belongs to.
    public static let resource = "paystream.resource"
    /// On record messages of incremental resources: the record's cursor value as the API wrote it.
    public static let cursor = "paystream.cursor"
    /// On record messages: when the page was fetched (ISO 8601).
    public static let fetchedAt = "paystream.fetched_at"
    /// On record messages: `application/json`.
    public static let contentType = "content-type"

    /// On dead letters: why the sink set the message aside, and where it came from.
    public static let error = "paystream.error"
    public static let originTopic = "paystream.origin.topic"
    public static let originPartition = "paystream.origin.partition"
    public static let originOffset = "paystream.origin.offset"
    /// On dead letters whose value was cut to fit the broker's message size limit: the
    /// original value's size in bytes.
    public static let truncated = "paystream.truncated"
}
