import Foundation
import Logging
@testable import PaystreamStore
import PaystreamMessageFormat
import Synchronization
import Testing

/// A store whose owner must stop while another process holds the database's lock: the
/// wait ends when the owner says so, and nothing is written.
@Suite struct StoreStopTests {
    @Test func aLockWaitEndsWhenTheOwnerGivesUp() throws {
        let givesUp = Atomic<Bool>(false)
        var options = RecordStore.Options()
        options.givesUpWaiting = { givesUp.load(ordering: .acquiring) }
        let f = try StoreFixture(options: options)
        let holder = try SQLiteDatabase(path: f.path)
        try holder.execute("BEGIN IMMEDIATE")
        // The owner stops a moment after the write began waiting (the store waits up to 10 minutes).
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: 1.5)
            givesUp.store(true, ordering: .releasing)
        }
        #expect(throws: RecordStore.LockWaitAbandoned.self) {
            _ = try f.store.write([Message(offset: 0, key: "cus_1", json: #"{"id":"cus_1"}"#)])
        }
        try holder.execute("ROLLBACK")
        #expect(try f.rows("SELECT count(*) FROM customers") == [["0"]])
        #expect(try f.store.nextOffsets().isEmpty)
    }
}
