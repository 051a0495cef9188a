import PaystreamBasics

// Test hooks: reachable only through `@_spi(ForTesting) import PaystreamKafka`. Paystream
// itself never deletes topics; the tests delete some under running services.
extension KafkaAdmin {
    /// Deletes the topics; a topic that does not exist is no error.
    @_spi(ForTesting)
    public func deleteTopics(_ names: [String], timeout: Duration? = nil) async throws {
        let handle = self.handle, timeout = timeout ?? brokerTimeout
        try await handle.executor.run { try RDKafkaAdmin.deleteTopics(handle.pointer, names, timeout: timeout) }
    }
}
