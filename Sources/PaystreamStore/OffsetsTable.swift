import PaystreamMessageFormat

/// `_paystream_offsets`: per partition, the next offset to read and what identifies the
/// partition (topic id, first message), written in the same transaction as the rows.
struct OffsetsTable {
    let db: SQLiteDatabase
    static let name = "_paystream_offsets"
    private var t: String { Self.name.sqlIdentifier }

    /// Creates the table, or adds the identity columns to one an older version made.
    func create() throws {
        try db.execute("""
            CREATE TABLE IF NOT EXISTS \(t) (
                topic TEXT NOT NULL, partition INTEGER NOT NULL, next_offset INTEGER NOT NULL,
                topic_id TEXT, first_offset INTEGER, first_hash INTEGER,
                PRIMARY KEY (topic, partition))
            """, "create offsets table")
        let existing = Set(try db.rows("PRAGMA table_info(\(t))", "read offsets columns").compactMap { $0[1] })
        for (column, type) in [("topic_id", "TEXT"), ("first_offset", "INTEGER"), ("first_hash", "INTEGER")] where !existing.contains(column) {
            try db.execute("ALTER TABLE \(t) ADD COLUMN \(column) \(type)", "add \(column) to the offsets table")
        }
    }

    func read() throws -> [TopicPartition: PartitionCheckpoint] {
        let select = try db.prepare("SELECT topic, partition, next_offset, topic_id, first_offset, first_hash FROM \(t)", "read offsets")
        var result: [TopicPartition: PartitionCheckpoint] = [:]
        while try select.step() {
            guard let topic = select.text(0) else { continue }
            guard let partition = Int32(exactly: select.int64(1)) else { throw DamagedRow(topic: topic, partition: select.int64(1)) }
            let fingerprint = select.isNull(4) || select.isNull(5) ? nil : MessageFingerprint(offset: select.int64(4), hash: select.int64(5))
            result[TopicPartition(topic: topic, partition: partition)] =
                PartitionCheckpoint(nextOffset: select.int64(2), topicID: select.text(3), fingerprint: fingerprint)
        }
        return result
    }

    /// A row no sink wrote: Kafka partition numbers are 32-bit.
    struct DamagedRow: Error, CustomStringConvertible {
        var topic: String
        var partition: Int64
        var description: String {
            "\(OffsetsTable.name) holds partition \(partition) of \(topic), which no Kafka partition can be: the store was changed by "
                + "another program; delete that row (the partition is then read from its beginning) or rebuild the store"
        }
    }

    func delete(_ partitions: [TopicPartition]) throws {
        let statement = try db.prepare("DELETE FROM \(t) WHERE topic = ?1 AND partition = ?2", "delete offsets")
        for p in partitions {
            statement.bindText(1, p.topic)
            statement.bind(2, Int64(p.partition))
            try statement.run()
        }
    }

    /// Moves each partition's next offset forward (never back), sets its topic id when one
    /// is given, and keeps the first fingerprint it ever got.
    func record(_ offsets: [TopicPartition: Int64], topicIDs: [String: String], firstMessages: [TopicPartition: MessageFingerprint]) throws {
        guard !offsets.isEmpty else { return }
        let statement = try db.prepare("""
            INSERT INTO \(t) (topic, partition, next_offset, topic_id, first_offset, first_hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
            ON CONFLICT (topic, partition) DO UPDATE SET next_offset = max(next_offset, excluded.next_offset),
                topic_id = coalesce(excluded.topic_id, topic_id),
                first_offset = coalesce(first_offset, excluded.first_offset), first_hash = coalesce(first_hash, excluded.first_hash)
            """, "record offsets")
        for (p, next) in offsets {
            statement.bindText(1, p.topic)
            statement.bind(2, Int64(p.partition))
            statement.bind(3, next)
            if let id = topicIDs[p.topic] { statement.bindText(4, id) } else { statement.bindNull(4) }
            if let first = firstMessages[p] {
                statement.bind(5, first.offset)
                statement.bind(6, first.hash)
            } else {
                statement.bindNull(5)
                statement.bindNull(6)
            }
            try statement.run()
        }
    }
}
