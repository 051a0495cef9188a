import Foundation
import Logging
import PaystreamBasics
import PaystreamMessageFormat

/// The SQLite store: one table per resource, and the consumed offsets in the same
/// database, written in the same transaction as the rows they produced. After a crash the
/// store is exactly as of its last commit, rows and offsets together.
///
/// Not `Sendable`: one thread owns it (the sink's writer), as GRDB confines a connection to
/// its queue, and the compiler keeps it there (its connection is opened without SQLite's own
/// mutex). `preparer` is `Sendable` and prepares batches on any thread.
public final class RecordStore {
    public struct Options: Sendable {
        /// `NORMAL` is safe here: offsets live in the same transactions as rows, so losing
        /// the last commits to a power cut rewinds both together and they are consumed again.
        public var synchronous = "NORMAL"
        public var cacheSizeMegabytes = 64
        /// Page size of a new database (an existing one keeps its own). Rows of a few hundred
        /// bytes to a few kilobytes fit many to a page, and the sink writes fewer pages.
        public var pageSizeBytes = 16384
        /// The write-ahead log is copied into the database (with an fsync of each) once it
        /// holds this much: rarely enough that the fsyncs do not dominate, and pages written by
        /// several batches in between are copied once.
        public var checkpointMegabytes = 80
        /// How long a write waits for another process's lock on the database (e.g. a
        /// `sqlite3` shell in a transaction) before it fails.
        public var maximumLockWait: Duration = .seconds(600)
        /// Asked while waiting for that lock (at least every 100 ms, and after each of
        /// SQLite's own 1-second attempts): true gives up at once (`LockWaitAbandoned`),
        /// e.g. when the sink must stop within its bound.
        public var givesUpWaiting: @Sendable () -> Bool = { false }

        public init() {}
    }

    public let preparer: BatchPreparer
    let db: SQLiteDatabase
    private let options: Options
    private var writers: [TableWriter] = []
    private let logger: Logger
    private lazy var offsets = OffsetsTable(db: db)

    public init(path: String, tablesByTopic: [String: TableSpec], options: Options = Options(), logger: Logger) throws {
        preparer = BatchPreparer(tablesByTopic: tablesByTopic)
        self.options = options
        self.logger = logger
        db = try SQLiteDatabase(path: path)
        // SQLite's own wait on a lock, per attempt; `transaction` retries with backoff.
        try db.execute("PRAGMA busy_timeout = 1000", "set busy timeout")
        // Before anything is written: a table kept with another key or cursor is refused.
        try Self.checkSchema(of: db, path: path, tablesByTopic: tablesByTopic)
        try db.execute("PRAGMA page_size = \(options.pageSizeBytes)", "set page size")  // ignored unless new
        try db.execute("PRAGMA journal_mode = WAL", "enable WAL")
        try db.execute("PRAGMA synchronous = \(options.synchronous)", "set synchronous")
        try db.execute("PRAGMA cache_size = -\(options.cacheSizeMegabytes * 1024)", "set cache size")
        let pageSize = try db.integer("PRAGMA page_size", "read page size") ?? 4096
        try db.execute("PRAGMA wal_autocheckpoint = \(options.checkpointMegabytes * 1_048_576 / pageSize)", "set checkpoint interval")
        try transaction {
            try offsets.create()
            try loadWriters()
        }
    }

    private func loadWriters() throws {
        writers = try preparer.tables.map { try TableWriter(db: db, spec: $0, logger: logger) }
    }

    /// Per partition, where the store is and what identifies the partition it read.
    public func checkpoints() throws -> [TopicPartition: PartitionCheckpoint] {
        try offsets.read()
    }

    /// Forgets where the store is in these partitions (e.g. their topic was recreated):
    /// they are read again from their beginning.
    public func forget(_ partitions: [TopicPartition]) throws {
        guard !partitions.isEmpty else { return }
        try transaction { try offsets.delete(partitions) }
    }

    /// Writes a prepared batch in one transaction: upserts, deletes for tombstones, and
    /// each partition's next offset — past its last message, or `positions[p]` when the
    /// reader is further (it skipped transaction markers) — with `topicIDs[topic]`.
    /// Messages that cannot be rows are listed as rejected; `beforeCommit` sees them and
    /// may throw to roll everything back (e.g. when they cannot be set aside durably).
    public func write<M: StoreMessage>(
        _ batch: PreparedBatch<M>, positions: [TopicPartition: Int64] = [:], topicIDs: [String: String] = [:],
        beforeCommit: ([RejectedMessage]) throws -> Void = { _ in }
    ) throws -> WriteSummary {
        try write(batch.rows, positions: positions, topicIDs: topicIDs, beforeCommit: beforeCommit)
    }

    private func write(
        _ rows: PreparedRows, positions: [TopicPartition: Int64], topicIDs: [String: String], beforeCommit: ([RejectedMessage]) throws -> Void
    ) throws -> WriteSummary {
        do {
            return try transaction {
                var summary = WriteSummary()
                try rows.scratch.withUnsafeBytes { scratch in
                    for entry in rows.entries {
                        try apply(entry, rows, scratch, &summary)
                    }
                }
                summary.nextOffsets = rows.nextOffsets.merging(positions) { max($0, $1) }
                try offsets.record(summary.nextOffsets, topicIDs: topicIDs, firstMessages: rows.firstMessages)
                summary.rejected.sort { $0.index < $1.index }
                try beforeCommit(summary.rejected)
                return summary
            }
        } catch let error as LockWaitAbandoned {
            throw error  // The transaction never began: nothing to re-read, and no lock to wait for again.
        } catch {
            // Columns added in the rolled-back transaction are gone again: re-read the schema.
            try? transaction { try loadWriters() }
            throw error
        }
    }

    private func apply(_ entry: PreparedRows.Entry, _ rows: PreparedRows, _ scratch: UnsafeRawBufferPointer, _ summary: inout WriteSummary) throws {
        switch entry.action {
        case .reject(let reason):
            summary.rejected.append(RejectedMessage(index: entry.index, reason: reason))
        case .delete(let key):
            try withBytes(rows.keys[entry.index]) { keyBytes in
                let parts = rows.keyParts[key].map { $0.bytes(value: UnsafeRawBufferPointer(start: nil, count: 0), key: keyBytes, scratch: scratch) }
                try writers[entry.table].delete(key: parts)
            }
            summary.deleted += 1
        case .upsert(let fields, let key, let cursor):
            try withBytes(rows.values[entry.index]) { bytes in
                try writers[entry.table].upsert(rows.fields[fields], key: rows.keyParts[key], cursor: cursor, bytes, scratch: scratch)
            }
            summary.upserted += 1
        }
    }

    /// Sleeps in slices, so that giving up is heard within 100 ms.
    private func pauseWhileLocked(_ pause: Duration) throws(LockWaitAbandoned) {
        let end = ContinuousClock.now + pause
        while true {
            if options.givesUpWaiting() { throw LockWaitAbandoned() }
            let left = end - .now
            guard left > .zero else { return }
            Thread.sleep(forTimeInterval: min(left, .milliseconds(100)).seconds)
        }
    }

    /// Another process held the database's write lock until the store's owner gave up.
    public struct LockWaitAbandoned: Error, CustomStringConvertible, Sendable {
        public var description: String {
            "gave up waiting for the database lock, which another process holds, because the sink is stopping: nothing of this write was committed"
        }
    }

    private func withBytes<R>(_ bytes: [UInt8]?, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        guard let bytes else { return try body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        return try bytes.withUnsafeBytes(body)
    }

    /// Runs `body` in one IMMEDIATE transaction (the write lock is taken up front, so
    /// nothing in it waits for a lock); rolls back on any error. While another process holds
    /// the database's write lock, waits with growing pauses (logged), up to
    /// `options.maximumLockWait`, or until `options.givesUpWaiting` says so.
    private func transaction<T>(_ body: () throws -> T) throws -> T {
        let deadline = ContinuousClock.now + options.maximumLockWait
        var pause = Duration.milliseconds(100)
        while true {
            do {
                try db.execute("BEGIN IMMEDIATE", "begin transaction")
                break
            } catch let error as SQLiteError where error.isRetriable && ContinuousClock.now + pause < deadline {
                logger.warning("the database is locked by another process; trying again in \(pause) (\(error.message))")
                try pauseWhileLocked(pause)
                pause = min(pause * 2, .seconds(5))
            }
        }
        do {
            let result = try body()
            try db.execute("COMMIT", "commit transaction")
            return result
        } catch {
            try? db.execute("ROLLBACK", "roll back")
            throw error
        }
    }
}
