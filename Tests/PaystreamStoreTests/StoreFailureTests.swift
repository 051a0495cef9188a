import Foundation
import Logging
@testable import PaystreamStore
import PaystreamMessageFormat
import Synchronization
import Testing

/// What the store does when SQLite cannot write: another process holds the lock, or the
/// disk is full. Nothing is ever half-written.
@Suite struct StoreFailureTests {
    @Test func aWriteWaitsForAnotherProcessToReleaseItsLock() async throws {
        let f = try StoreFixture()
        // A store belongs to one thread: the writing thread gets one of its own (opened
        // here, before the lock is taken), handed over through a lock.
        let handOver = Mutex<RecordStore?>(try RecordStore(path: f.path, tablesByTopic: ["t.customers": TableSpec(name: "customers", primaryKey: ["id"])], logger: Logger(label: "test.store")))
        let holder = try SQLiteDatabase(path: f.path)
        try holder.execute("BEGIN IMMEDIATE")
        let finished = Atomic<Bool>(false)
        let writing = Thread {
            let store = handOver.withLock { $0.take() }
            _ = try? store?.write([Message(offset: 0, key: "cus_1", json: #"{"id":"cus_1"}"#)])
            finished.store(true, ordering: .releasing)
        }
        writing.start()
        // SQLite's own wait is 1 s per attempt: after 2.5 s the store has retried.
        try await Task.sleep(for: .milliseconds(2500))
        let finishedWhileLocked = finished.load(ordering: .acquiring)
        #expect(!finishedWhileLocked, "the write cannot finish while another connection holds the lock")
        try holder.execute("COMMIT")
        let deadline = ContinuousClock.now + .seconds(30)
        while !finished.load(ordering: .acquiring), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(try f.rows("SELECT id FROM customers") == [["cus_1"]])
        #expect(try f.store.nextOffsets() == [TopicPartition(topic: "t.customers", partition: 0): 1])
    }

    @Test func aLockHeldLongerThanTheWaitFailsClearly() throws {
        var options = RecordStore.Options()
        options.maximumLockWait = .seconds(2)
        let f = try StoreFixture(options: options)
        let holder = try SQLiteDatabase(path: f.path)
        try holder.execute("BEGIN IMMEDIATE")
        #expect {
            _ = try f.store.write([Message(offset: 0, key: "cus_1", json: #"{"id":"cus_1"}"#)])
        } throws: { error in
            (error as? SQLiteError)?.isRetriable == true && "\(error)".contains("another process holds the database lock")
        }
        try holder.execute("ROLLBACK")
    }

    @Test func aFullDiskFailsTheBatchClearlyAndKeepsTheLastCommit() throws {
        let f = try StoreFixture()
        _ = try f.store.write([Message(offset: 0, key: "cus_0", json: #"{"id":"cus_0"}"#)])
        // The database may not grow past its current size: the next large batch fills it.
        let pages = try f.rows("PRAGMA page_count")[0][0]!
        try f.store.db.execute("PRAGMA max_page_count = \(pages)")
        let padding = String(repeating: "x", count: 2000)
        let batch = (1...200).map { Message(offset: Int64($0), key: "cus_\($0)", json: #"{"id":"cus_\#($0)","pad":"\#(padding)"}"#) }
        #expect {
            _ = try f.store.write(batch)
        } throws: { error in
            (error as? SQLiteError)?.isDiskFull == true && "\(error)".contains("the disk is full")
        }
        #expect(try f.rows("SELECT id FROM customers") == [["cus_0"]])
        #expect(try f.store.nextOffsets() == [TopicPartition(topic: "t.customers", partition: 0): 1])
    }
}
