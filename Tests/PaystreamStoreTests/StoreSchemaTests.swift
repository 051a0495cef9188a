import Foundation
import Logging
@testable import PaystreamStore
import Testing

/// A store opened with a configuration whose table keys or cursor differ from what the file
/// holds: a clear error before anything is written, never a trap or a raw SQLite error.
@Suite struct StoreSchemaTests {
    static let customers = ["t.customers": TableSpec(name: "customers", primaryKey: ["id"])]

    /// A store file with one row, closed again; its bytes as they are on disk.
    static func storeWithOneRow() throws -> (path: String, bytes: Data) {
        let path: String
        do {
            let f = try StoreFixture()
            _ = try f.store.write([Message(offset: 0, key: "cus_1", json: #"{"id":"cus_1","email":"a@b.c","updated_at":"2024-01-01T00:00:00Z"}"#)])
            path = f.path
        }  // closed: the write-ahead log is in the file now
        return (path, try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    static func open(_ path: String, _ tables: [String: TableSpec]) throws -> RecordStore {
        try RecordStore(path: path, tablesByTopic: tables, logger: Logger(label: "test.store"))
    }

    @Test func aPrimaryKeyThatIsNotAColumnIsAClearErrorAndWritesNothing() throws {
        let (path, before) = try Self.storeWithOneRow()
        let tables = ["t.customers": TableSpec(name: "customers", primaryKey: ["customer_id"])]
        #expect {
            _ = try Self.open(path, tables)
        } throws: { error in
            let text = "\(error)"
            return error is StoreSchemaMismatch && text.contains(#"table "customers""#) && text.contains("(id)") && text.contains("(customer_id)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before, "the store file is untouched")
    }

    @Test func anExistingColumnAsTheNewKeyIsAClearError() throws {
        let (path, before) = try Self.storeWithOneRow()
        let tables = ["t.customers": TableSpec(name: "customers", primaryKey: ["email"])]
        #expect {
            _ = try Self.open(path, tables)
        } throws: { error in
            error is StoreSchemaMismatch && "\(error)".contains("(id)") && "\(error)".contains("(email)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test func aCompoundKeyInAnotherOrderDiffers() throws {
        let f = try StoreFixture(tables: ["t.lines": TableSpec(name: "lines", primaryKey: ["invoice", "line"])])
        _ = f.store
        #expect(throws: StoreSchemaMismatch.self) {
            _ = try Self.open(f.path, ["t.lines": TableSpec(name: "lines", primaryKey: ["line", "invoice"])])
        }
    }

    @Test func aKeyDifferingOnlyInCaseDiffers() throws {
        // Record fields are case-sensitive: `ID` is another field than `id`.
        let (path, _) = try Self.storeWithOneRow()
        #expect(throws: StoreSchemaMismatch.self) {
            _ = try Self.open(path, ["t.customers": TableSpec(name: "customers", primaryKey: ["ID"])])
        }
    }

    @Test func anotherCursorIsAClearError() throws {
        let (path, before) = try Self.storeWithOneRow()
        let tables = ["t.customers": TableSpec(name: "customers", primaryKey: ["id"], cursorField: "created_at")]
        #expect {
            _ = try Self.open(path, tables)
        } throws: { error in
            let text = "\(error)"
            return error is StoreSchemaMismatch && text.contains(#"table "customers""#) && text.contains("updated_at") && text.contains("created_at")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test func theSameKeyAndCursorOpenAsBefore() throws {
        let (path, _) = try Self.storeWithOneRow()
        let store = try Self.open(path, Self.customers)
        #expect(try store.nextOffsets().values.sorted() == [1])
    }

    @Test func aTableNotMadeByTheSinkIsAClearError() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("paystream-foreign-\(UUID().uuidString).sqlite").path
        let db = try SQLiteDatabase(path: path)
        try db.execute(#"CREATE TABLE customers (id TEXT PRIMARY KEY, name TEXT)"#)
        try db.execute(#"INSERT INTO customers VALUES ('c1', 'Ada')"#)
        #expect {
            _ = try Self.open(path, Self.customers)
        } throws: { error in
            error is StoreSchemaMismatch && "\(error)".contains(#"table "customers""#) && "\(error)".contains("_paystream_document")
        }
        #expect(try db.rows("SELECT id, name FROM customers", "check") == [["c1", "Ada"]])
    }

    @Test func twoTopicsIntoOneTableWithDifferentKeysAreAClearError() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("paystream-shared-\(UUID().uuidString).sqlite").path
        let tables = [
            "t.a": TableSpec(name: "shared", primaryKey: ["id"]),
            "t.b": TableSpec(name: "shared", primaryKey: ["key"]),
        ]
        #expect(throws: StoreSchemaMismatch.self) { _ = try Self.open(path, tables) }
    }

    @Test func theCheckAloneReadsAFileWithoutWritingIt() throws {
        let (path, before) = try Self.storeWithOneRow()
        #expect(throws: StoreSchemaMismatch.self) {
            try RecordStore.checkSchema(ofFileAt: path, tablesByTopic: ["t.customers": TableSpec(name: "customers", primaryKey: ["email"])])
        }
        try RecordStore.checkSchema(ofFileAt: path, tablesByTopic: Self.customers)
        // A file that does not exist yet has nothing to differ from, and is not created.
        let missing = path + ".missing"
        try RecordStore.checkSchema(ofFileAt: missing, tablesByTopic: Self.customers)
        #expect(!FileManager.default.fileExists(atPath: missing))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }
}
