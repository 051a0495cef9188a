import Foundation
import Logging
import PaystreamMessageFormat

/// The SQLite store: one table per resource, and the consumed offsets in the same
/// database, written in the same transaction as the rows they produced. After a crash the
/// store is exactly as of its last commit, rows and offsets together.
///
/// Confined to one thread (the sink's worker); not safe to share.
public final class RecordStore: @unchecked Sendable {
    public struct Options: Sendable {
        /// `NORMAL` is safe here: offsets live in the same transactions as rows, so losing
        /// the last commits to a power cut rewinds both together and they are consumed again.
        public var synchronous = "NORMAL"
        public var cacheSizeMegabytes = 64

        public init() {}
    }

    private let db: SQLiteDatabase
    private let tablesByTopic: [String: TableSpec]
    private var writers: [String: TableWriter] = [:]
    private let logger: Logger
    private var offsetUpsert: SQLiteStatement?
    static let offsetsTable = "_paystream_offsets"

    public init(path: String, tablesByTopic: [String: TableSpec], options: Options = Options(), logger: Logger) throws {
        self.tablesByTopic = tablesByTopic
        self.logger = logger
        db = try SQLiteDatabase(path: path)
        try db.execute("PRAGMA journal_mode = WAL", "enable WAL")
        try db.execute("PRAGMA synchronous = \(options.synchronous)", "set synchronous")
        try db.execute("PRAGMA cache_size = -\(options.cacheSizeMegabytes * 1024)", "set cache size")
        try db.execute("PRAGMA busy_timeout = 10000", "set busy timeout")
        try db.execute("""
            CREATE TABLE IF NOT EXISTS \(Self.offsetsTable.sqlIdentifier) (
                topic TEXT NOT NULL, partition INTEGER NOT NULL, next_offset INTEGER NOT NULL,
                PRIMARY KEY (topic, partition))
            """, "create offsets table")
        try loadWriters()
    }

    private func loadWriters() throws {
        writers = [:]
        offsetUpsert = nil
        try db.transaction {
            for (topic, spec) in tablesByTopic.sorted(by: { $0.key < $1.key }) {
                writers[topic] = try TableWriter(db: db, spec: spec, logger: logger)
            }
        }
    }

    /// Next offsets the store has recorded (last written + 1), per partition.
    public func storedOffsets() throws -> [StorePartition: Int64] {
        var result: [StorePartition: Int64] = [:]
        for row in try db.rows("SELECT topic, partition, next_offset FROM \(Self.offsetsTable.sqlIdentifier)", "read offsets") {
            guard let topic = row[0], let p = row[1].flatMap({ Int32($0) }), let o = row[2].flatMap({ Int64($0) }) else { continue }
            result[StorePartition(topic: topic, partition: p)] = o
        }
        return result
    }

    /// Forgets stored offsets, e.g. after the topics were recreated and old offsets no
    /// longer mean anything.
    public func deleteOffsets(_ partitions: [StorePartition]) throws {
        let statement = try db.prepare("DELETE FROM \(Self.offsetsTable.sqlIdentifier) WHERE topic = ?1 AND partition = ?2", "delete offsets")
        try db.transaction {
            for p in partitions {
                statement.bindText(1, p.topic)
                statement.bind(2, Int64(p.partition))
                try statement.run()
            }
        }
    }

    /// Writes a batch in one transaction: upserts, deletes for tombstones, and the next
    /// offsets. Messages that cannot be rows are listed as rejected; `beforeCommit` sees them
    /// and may throw to roll everything back (e.g. when they cannot be set aside durably).
    public func write<M: StoreMessage>(_ batch: [M], beforeCommit: ([RejectedMessage]) throws -> Void = { _ in }) throws -> WriteSummary {
        do {
            return try db.transaction {
                var summary = WriteSummary()
                // Writing in key order touches each B-tree page once per batch instead of
                // at random; ties keep their order, so a key's versions apply in sequence.
                for index in Self.keyOrder(batch) {
                    let message = batch[index]
                    let p = StorePartition(topic: message.topic, partition: message.partition)
                    summary.nextOffsets[p] = max(summary.nextOffsets[p] ?? 0, message.offset + 1)
                    if let reason = try apply(message, &summary) {
                        summary.rejected.append(RejectedMessage(index: index, reason: reason))
                    }
                }
                try recordOffsets(summary.nextOffsets)
                summary.rejected.sort { $0.index < $1.index }
                try beforeCommit(summary.rejected)
                return summary
            }
        } catch {
            // Columns added in the rolled-back transaction are gone again: re-read the schema.
            try? loadWriters()
            throw error
        }
    }

    /// Applies one message; returns why it cannot be stored, or nil.
    private func apply(_ message: some StoreMessage, _ summary: inout WriteSummary) throws -> String? {
        guard let writer = writers[message.topic] else { return "no table is configured for topic \(message.topic)" }
        guard let value = message.value else {
            guard let keyValues = Self.keyValues(message.key, count: writer.spec.primaryKey.count) else {
                return "a tombstone without a usable key"
            }
            try writer.delete(keyValues: keyValues)
            summary.deleted += 1
            return nil
        }
        return try value.withUnsafeBytes { bytes -> String? in
            let fields: RecordFields
            do {
                fields = try RecordFields(bytes)
            } catch let failure as RecordFields.Failure {
                return failure.description
            }
            if let reason = try writer.upsert(fields, bytes) { return reason }
            summary.upserted += 1
            return nil
        }
    }

    /// Indices of `batch` ordered by (topic, key), ties in batch order. Keys are packed into
    /// one buffer first, so the comparisons copy nothing.
    static func keyOrder<M: StoreMessage>(_ batch: [M]) -> [Int] {
        let topicRank = Dictionary(uniqueKeysWithValues: Set(batch.map(\.topic)).sorted().enumerated().map { ($1, $0) })
        var rank = [Int](repeating: 0, count: batch.count)
        var packed: [UInt8] = [0]
        var spans = [Range<Int>](repeating: 0..<0, count: batch.count)
        for (i, m) in batch.enumerated() {
            rank[i] = topicRank[m.topic]!
            let start = packed.count
            if let key = m.key { packed.append(contentsOf: key) }
            spans[i] = start..<packed.count
        }
        return packed.withUnsafeBytes { keys in
            Array(batch.indices).sorted { a, b in
                if rank[a] != rank[b] { return rank[a] < rank[b] }
                let (x, y) = (spans[a], spans[b])
                let c = memcmp(keys.baseAddress! + x.lowerBound, keys.baseAddress! + y.lowerBound, min(x.count, y.count))
                if c != 0 { return c < 0 }
                if x.count != y.count { return x.count < y.count }
                return a < b
            }
        }
    }

    private func recordOffsets(_ offsets: [StorePartition: Int64]) throws {
        if offsetUpsert == nil {
            offsetUpsert = try db.prepare("""
                INSERT INTO \(Self.offsetsTable.sqlIdentifier) (topic, partition, next_offset) VALUES (?1, ?2, ?3)
                ON CONFLICT (topic, partition) DO UPDATE SET next_offset = max(next_offset, excluded.next_offset)
                """, "record offsets")
        }
        for (p, next) in offsets {
            offsetUpsert!.bindText(1, p.topic)
            offsetUpsert!.bind(2, Int64(p.partition))
            offsetUpsert!.bind(3, next)
            try offsetUpsert!.run()
        }
    }

    /// A message key's primary-key values (the shared message format's decoding).
    static func keyValues(_ key: [UInt8]?, count: Int) -> [String]? {
        MessageKey.values(of: key, count: count)
    }
}
