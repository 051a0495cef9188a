/// Where reading a partition starts: a real offset, or one the broker resolves when
/// reading begins. Offsets read back (positions, committed offsets, ends) are real ones and
/// stay plain `Int64`; librdkafka's numbers for these cases live in `RDKafkaOffset`.
public enum KafkaOffset: Sendable, Hashable {
    /// The first message still on the broker.
    case beginning
    /// The offset after the last message: only messages produced from then on are read.
    case end
    /// This offset: the next message to read (0 or more).
    case exact(Int64)
}
