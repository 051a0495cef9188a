import PaystreamMessageFormat

/// A batch read and ordered for writing, with no SQLite work done yet: the sink prepares
/// the next batch on one thread while the store writes the previous one on another.
public struct PreparedBatch<Message: StoreMessage> {
    public let messages: [Message]
    /// What the store writes. Not generic, so the code that reads and writes it is compiled
    /// for it (generic code called from another module reads every field through metadata).
    var rows: PreparedRows
}

/// Prepared on one thread, written on another: as `Sendable` as its messages (the rows are
/// plain values).
extension PreparedBatch: Sendable where Message: Sendable {}

struct PreparedRows {
    /// Each message's key and value, read once from the messages.
    var keys: [[UInt8]?] = []
    var values: [[UInt8]?] = []
    /// In write order: by table, then by key (each B-tree page is touched once per batch
    /// instead of at random); a key's versions keep their batch order.
    var entries: [Entry] = []
    /// Every record's top-level fields; entries point into it.
    var fields: [RecordFields.Field] = []
    /// Every record's primary-key values; entries point into it.
    var keyParts: [ByteSpan] = []
    /// Bytes made while reading: decoded keys and canonical cursor times.
    var scratch: [UInt8] = []
    /// Per partition: the offset after its last message in the batch, and its first message.
    var nextOffsets: [TopicPartition: Int64] = [:]
    var firstMessages: [TopicPartition: MessageFingerprint] = [:]

    struct Entry {
        /// Index into the batch's messages.
        var index: Int
        /// Index into the store's tables.
        var table: Int
        var action: Action
    }

    enum Action {
        case upsert(fields: Range<Int>, key: Range<Int>, cursor: CursorKey)
        /// A tombstone: delete (or mark) the row with this key.
        case delete(key: Range<Int>)
        /// The message cannot be a row; it goes to the dead-letter topic with this reason.
        case reject(String)
    }
}

/// Where some bytes of a prepared batch are.
enum ByteSpan {
    /// In the message's value.
    case value(Range<Int>)
    /// In the message's key.
    case key(Range<Int>)
    case scratch(Range<Int>)

    func bytes(value: UnsafeRawBufferPointer, key: UnsafeRawBufferPointer, scratch: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        switch self {
        case .value(let r): UnsafeRawBufferPointer(rebasing: value[r])
        case .key(let r): UnsafeRawBufferPointer(rebasing: key[r])
        case .scratch(let r): UnsafeRawBufferPointer(rebasing: scratch[r])
        }
    }
}
