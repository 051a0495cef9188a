import Foundation
import PaystreamJSON
import PaystreamMessageFormat

/// Reads a batch of messages into what the store writes: each record's fields, primary
/// key and cursor, in key order, and the messages that cannot be rows with the reason.
/// It needs only the tables' specs, not the database, so it can run on another thread
/// than the writes.
public struct BatchPreparer: Sendable {
    let tables: [TableSpec]
    private let tableOfTopic: [String: Int]

    init(tablesByTopic: [String: TableSpec]) {
        let sorted = tablesByTopic.sorted { $0.key < $1.key }
        tables = sorted.map(\.value)
        tableOfTopic = Dictionary(uniqueKeysWithValues: sorted.enumerated().map { ($1.key, $0) })
    }

    public func prepare<M: StoreMessage>(_ messages: [M]) -> PreparedBatch<M> {
        var rows = PreparedRows()
        rows.keys.reserveCapacity(messages.count)
        rows.values.reserveCapacity(messages.count)
        var tableOfMessage: [Int] = []
        tableOfMessage.reserveCapacity(messages.count)
        // Messages come in runs of one partition: tables and offsets are looked up once per run.
        var run: (partition: TopicPartition, table: Int, next: Int64)?
        for message in messages {  // each message copied once
            rows.keys.append(message.key)
            rows.values.append(message.value)
            let offset = message.offset
            if var r = run, r.partition.partition == message.partition, r.partition.topic == message.topic {
                tableOfMessage.append(r.table)
                r.next = max(r.next, offset + 1)
                run = r
                continue
            }
            if let r = run { rows.nextOffsets[r.partition] = max(rows.nextOffsets[r.partition] ?? 0, r.next) }
            let p = message.topicPartition
            let table = tableOfTopic[p.topic] ?? -1
            run = (p, table, offset + 1)
            tableOfMessage.append(table)
            // A run's first message is its lowest offset.
            if rows.firstMessages[p].map({ offset < $0.offset }) ?? true { rows.firstMessages[p] = MessageFingerprint(of: message) }
        }
        if let r = run { rows.nextOffsets[r.partition] = max(rows.nextOffsets[r.partition] ?? 0, r.next) }
        read(&rows, tableOfMessage: tableOfMessage) { messages[$0].topic }
        return PreparedBatch(messages: messages, rows: rows)
    }

    /// Reads every message's record (fields, key, cursor) in key order.
    private func read(_ rows: inout PreparedRows, tableOfMessage: [Int], topicOf: (Int) -> String) {
        rows.entries.reserveCapacity(rows.values.count)
        rows.fields.reserveCapacity(rows.values.count * 16)
        for index in keyOrder(keys: rows.keys, tables: tableOfMessage) {
            let table = tableOfMessage[index]
            guard table >= 0 else {
                rows.entries.append(.init(index: index, table: -1, action: .reject("no table is configured for topic \(topicOf(index))")))
                continue
            }
            let action: PreparedRows.Action
            if let value = rows.values[index] {
                action = value.withUnsafeBytes { upsert($0, tables[table], &rows) }
            } else {
                action = tombstone(rows.keys[index], tables[table], &rows)
            }
            rows.entries.append(.init(index: index, table: table, action: action))
        }
    }

    private func upsert(_ bytes: UnsafeRawBufferPointer, _ spec: TableSpec, _ batch: inout PreparedRows) -> PreparedRows.Action {
        let fields: Range<Int>
        do {
            fields = try RecordFields.parse(bytes, into: &batch.fields)
        } catch {
            return .reject(error.description)
        }
        let record = batch.fields[fields]
        let keyStart = batch.keyParts.count
        for name in spec.primaryKey {
            guard let field = RecordFields.field(name, in: record, bytes) else {
                return reject("the record has no primary key field '\(name)' (or it is null or not a scalar)", &batch, fields, keyStart)
            }
            switch field.value {
            case .text(let range, let escaped):
                if !escaped {
                    guard UTF8Validation.isValid(UnsafeRawBufferPointer(rebasing: bytes[range])) else {
                        return reject("the primary key field '\(name)' is not valid UTF-8 text", &batch, fields, keyStart)
                    }
                    batch.keyParts.append(.value(range))
                } else {
                    guard let decoded = JSONString(range: range, hasEscapes: true).strictlyDecoded(in: bytes) else {
                        return reject("the primary key field '\(name)' is not valid UTF-8 text (an unpaired surrogate escape)", &batch, fields, keyStart)
                    }
                    batch.keyParts.append(.scratch(batch.scratch.count..<batch.scratch.count + decoded.count))
                    batch.scratch.append(contentsOf: decoded)
                }
            case .integer, .real, .bool:
                // Numbers and booleans as written: the fetcher keys messages the same way.
                batch.keyParts.append(.value(field.raw))
            case .null, .json:
                return reject("the record has no primary key field '\(name)' (or it is null or not a scalar)", &batch, fields, keyStart)
            }
        }
        let cursor = CursorKey.of(RecordFields.field(spec.cursorField, in: record, bytes), bytes, scratch: &batch.scratch)
        return .upsert(fields: fields, key: keyStart..<batch.keyParts.count, cursor: cursor)
    }

    private func reject(_ reason: String, _ batch: inout PreparedRows, _ fields: Range<Int>, _ keyStart: Int) -> PreparedRows.Action {
        batch.fields.removeSubrange(fields)
        batch.keyParts.removeSubrange(keyStart...)
        return .reject(reason)
    }

    /// A tombstone's key: the message key itself, or for a compound key the elements of its
    /// JSON array.
    private func tombstone(_ key: [UInt8]?, _ spec: TableSpec, _ batch: inout PreparedRows) -> PreparedRows.Action {
        guard let key, !key.isEmpty else { return .reject("a tombstone without a key") }
        return key.withUnsafeBytes { bytes -> PreparedRows.Action in
            guard UTF8Validation.isValid(bytes) else { return .reject("the message key is not valid UTF-8 text") }
            let keyStart = batch.keyParts.count
            if spec.primaryKey.count == 1 {
                batch.keyParts.append(.key(0..<bytes.count))
                return .delete(key: keyStart..<keyStart + 1)
            }
            var reader = JSONReader(bytes)
            do {
                try reader.beginArray()
                var first = true
                while try reader.nextElement(&first) {
                    let element = try reader.skipValue()
                    switch element.kind {
                    case .string:
                        guard let decoded = element.stringContent?.strictlyDecoded(in: bytes) else { throw Unusable() }
                        batch.keyParts.append(.scratch(batch.scratch.count..<batch.scratch.count + decoded.count))
                        batch.scratch.append(contentsOf: decoded)
                    case .number, .bool: batch.keyParts.append(.key(element.range))
                    case .null, .object, .array: throw Unusable()
                    }
                }
                try reader.expectEnd()
                guard batch.keyParts.count - keyStart == spec.primaryKey.count else { throw Unusable() }
            } catch {
                batch.keyParts.removeSubrange(keyStart...)
                return .reject("a tombstone whose key is not a JSON array of \(spec.primaryKey.count) key values")
            }
            return .delete(key: keyStart..<batch.keyParts.count)
        }
    }

    private struct Unusable: Error {}

    /// Indices of the messages ordered by (table, key), ties in batch order. Keys are packed
    /// into one buffer first, so the comparisons copy nothing.
    func keyOrder(keys: [[UInt8]?], tables rank: [Int]) -> [Int] {
        var packed: [UInt8] = [0]
        var spans = [Range<Int>](repeating: 0..<0, count: keys.count)
        for (i, key) in keys.enumerated() {
            let start = packed.count
            if let key { packed.append(contentsOf: key) }
            spans[i] = start..<packed.count
        }
        return packed.withUnsafeBytes { keys in
            // `packed` starts with a byte, so it has an address.
            guard let base = keys.baseAddress else { return Array(spans.indices) }
            return Array(spans.indices).sorted { a, b in
                if rank[a] != rank[b] { return rank[a] < rank[b] }
                let (x, y) = (spans[a], spans[b])
                let c = memcmp(base + x.lowerBound, base + y.lowerBound, min(x.count, y.count))
                if c != 0 { return c < 0 }
                if x.count != y.count { return x.count < y.count }
                return a < b
            }
        }
    }
}
