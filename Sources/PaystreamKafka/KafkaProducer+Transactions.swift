import CRDKafka
import PaystreamBasics

/// Transactions (the configuration names a `transactionalID`). Every call blocks in
/// librdkafka, so each runs on the producer's own queue; failures arrive as
/// `KafkaTransactionError`, whose case says what the caller must do next.
extension KafkaProducer {
    /// Registers the transactional id with the broker: fences any older producer that used
    /// it and ends (aborts) that producer's open transaction. Call once, before the first
    /// transaction. Bounded by the client's `brokerTimeout` unless `timeout` says otherwise.
    public func initTransactions(timeout: Duration? = nil) async throws(KafkaTransactionError) {
        let timeout = timeout ?? brokerTimeout
        try await transactionCall("initialize transactions") { rd_kafka_init_transactions($0, Int32(timeout.milliseconds)) }
    }

    public func beginTransaction() async throws(KafkaTransactionError) {
        try await transactionCall("begin a transaction") { rd_kafka_begin_transaction($0) }
    }

    /// Delivers what is queued and commits: every message sent since `beginTransaction`
    /// becomes visible to `read_committed` readers at once, or none does. Bounded by
    /// `timeout` (default: the client's `brokerTimeout`); a commit that timed out is
    /// `retriable` (calling it again goes on where it stopped) or must be aborted.
    public func commitTransaction(timeout: Duration? = nil) async throws(KafkaTransactionError) {
        let timeout = timeout ?? brokerTimeout
        try await transactionCall("commit a transaction") { rd_kafka_commit_transaction($0, Int32(timeout.milliseconds)) }
    }

    /// Drops what is queued and in flight (their deliveries fail at once, as purged) and
    /// aborts the transaction on the broker. Bounded by `timeout`: a producer that lets go of
    /// its work must not wait out the whole transaction timeout (the next owner's
    /// `initTransactions` aborts the transaction anyway).
    public func abortTransaction(timeout: Duration = .seconds(5)) async throws(KafkaTransactionError) {
        try await transactionCall("abort a transaction") { rd_kafka_abort_transaction($0, Int32(timeout.milliseconds)) }
    }

    private func transactionCall(
        _ operation: String, _ call: @escaping @Sendable (OpaquePointer) -> OpaquePointer?
    ) async throws(KafkaTransactionError) {
        let handle = self.handle
        let failure: KafkaTransactionError? = await handle.executor.run {
            guard let error = call(handle.pointer) else { return nil }
            return RDKafkaTransactionError.classify(error, operation: operation)
        }
        if let failure { throw failure }
    }
}

enum RDKafkaTransactionError {
    /// Sorts a librdkafka error object into what the caller must do; destroys it.
    static func classify(_ error: OpaquePointer, operation: String) -> KafkaTransactionError {
        let code = rd_kafka_error_code(error)
        let fatal = rd_kafka_error_is_fatal(error) != 0
        let abortable = rd_kafka_error_txn_requires_abort(error) != 0
        let retriable = rd_kafka_error_is_retriable(error) != 0
        let kafkaError = KafkaError(operation: operation, consuming: error)
        if fencingCodes.contains(code) { return .fenced(kafkaError) }
        if fatal { return .fatal(kafkaError) }
        if abortable { return .abortable(kafkaError) }
        if retriable { return .retriable(kafkaError) }
        return .fatal(kafkaError)
    }

    /// A newer producer epoch exists for the transactional id. librdkafka reports it as
    /// `_FENCED` (fatal) or as the broker's `PRODUCER_FENCED` / `INVALID_PRODUCER_EPOCH`.
    static let fencingCodes: Set<rd_kafka_resp_err_t> = [
        RD_KAFKA_RESP_ERR__FENCED, RD_KAFKA_RESP_ERR_PRODUCER_FENCED, RD_KAFKA_RESP_ERR_INVALID_PRODUCER_EPOCH,
    ]
}
