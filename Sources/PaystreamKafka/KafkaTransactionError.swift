/// How a transactional call failed, as the caller must react to it.
public enum KafkaTransactionError: Error, CustomStringConvertible, Sendable {
    /// Another producer with the same `transactional.id` has started: this one is a
    /// zombie. Nothing it sends becomes visible any more; it must stop and let go.
    case fenced(KafkaError)
    /// The transaction cannot commit: abort it, then begin a new one and redo its work.
    case abortable(KafkaError)
    /// The call did not complete in time or the broker was unavailable; calling it
    /// again continues where it stopped.
    case retriable(KafkaError)
    /// The producer cannot go on (misconfiguration, authorization): close it.
    case fatal(KafkaError)

    public var error: KafkaError {
        switch self {
        case .fenced(let e), .abortable(let e), .retriable(let e), .fatal(let e): e
        }
    }

    public var description: String {
        switch self {
        case .fenced(let e): "fenced by a newer producer with the same transactional id: \(e)"
        case .abortable(let e): "the transaction must be aborted: \(e)"
        case .retriable(let e): "\(e)"
        case .fatal(let e): "the transactional producer cannot go on: \(e)"
        }
    }
}

extension KafkaError {
    /// The broker refused a transactional producer's message because a newer producer with
    /// the same `transactional.id` exists: this one is a zombie. It arrives in a delivery
    /// report as well as from transaction calls (`KafkaTransactionError.fenced`). (Tansu also
    /// refuses an idempotent producer so after an outage; that producer is spent too.)
    public var isFencing: Bool { ["_FENCED", "PRODUCER_FENCED", "INVALID_PRODUCER_EPOCH"].contains(code) }
}
