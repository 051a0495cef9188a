import Foundation
import Logging
@testable import PaystreamStore
import PaystreamMessageFormat

/// A message as the sink hands it to the store.
struct Message: StoreMessage {
    var topic = "t.customers"
    var partition: Int32 = 0
    var offset: Int64
    var key: [UInt8]?
    var value: [UInt8]?

    init(offset: Int64, key: String?, json: String?, topic: String = "t.customers", partition: Int32 = 0) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.key = key.map { Array($0.utf8) }
        self.value = json.map { Array($0.utf8) }
    }
}

/// A store in a temporary file, and a separate read-only connection to look at it the way
/// another process would.
struct StoreFixture {
    let path: String
    let store: RecordStore

    init(tables: [String: TableSpec] = ["t.customers": TableSpec(name: "customers", primaryKey: ["id"])], options: RecordStore.Options = .init()) throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("paystream-store-\(UUID().uuidString).sqlite").path
        store = try RecordStore(path: path, tablesByTopic: tables, options: options, logger: Logger(label: "test.store"))
    }

    func rows(_ sql: String) throws -> [[String?]] {
        try SQLiteDatabase(path: path, readOnly: true).rows(sql, "test query")
    }
}

extension RecordStore {
    /// Prepares and writes a batch, as the sink does on two threads.
    func write<M: StoreMessage>(_ batch: [M], beforeCommit: ([RejectedMessage]) throws -> Void = { _ in }) throws -> WriteSummary {
        try write(preparer.prepare(batch), beforeCommit: beforeCommit)
    }

    /// The next offset of every partition the store has.
    func nextOffsets() throws -> [TopicPartition: Int64] { try checkpoints().mapValues(\.nextOffset) }
}
