import CRDKafka

/// Offsets as librdkafka writes them: logical ones are negative numbers in the same field
/// as real ones. The only place they are converted.
enum RDKafkaOffset {
    static func value(_ offset: KafkaOffset) -> Int64 {
        switch offset {
        case .beginning: Int64(RD_KAFKA_OFFSET_BEGINNING)
        case .end: Int64(RD_KAFKA_OFFSET_END)
        case .exact(let offset): offset
        }
    }

    /// No offset: what a partition list holds for a query, before librdkafka fills it in.
    static let none = Int64(RD_KAFKA_OFFSET_INVALID)

    /// The real offset in a field librdkafka filled in, or nil when it holds none (a
    /// logical offset or `RD_KAFKA_OFFSET_INVALID`: no position, no committed offset).
    static func real(_ value: Int64) -> Int64? {
        value >= 0 ? value : nil
    }
}
