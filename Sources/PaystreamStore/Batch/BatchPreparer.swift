import Foundation
import PaystreamJSON
import PaystreamTopics

/// Reads a batch of messages into what the store writes: each record's fields, primary
/// key and cursor, in key order, and the messages that cannot be rows with the reason.
/// It needs only the tables' specs, not the database, so it can run on another thread
/// than the writes.
public struct BatchPreparer: Sendable {
    let tables: [TableSpec]
    private let tableOfTopic: [String: Int]

    init(tablesByTopic: [String: TableSpec]) {
        let topics = tablesByTopic.keys.sorted()
        tables = topics.map { tablesByTopic[$0]! }
        tableOfTopic = Dictionary(uniqueKeysWithValues: topics.enumerated().map { ($1, $0) })
    }

    public func prepare<M: StoreMessage>(_ messages: [M]) -> PreparedBatch<M> {
        var batch = PreparedBatch(messages: messages)
        batch.entries.reserveCapacity(messages.count)
        batch.fields.reserveCapacity(messages.count * 16)
        for message in messages {
            let p = message.topicPartition
            batch.nextOffsets[p] = max(batch.nextOffsets[p] ?? 0, message.offset + 1)
            if batch.firstMessages[p].map({ message.offset < $0.offset }) ?? true { batch.firstMessages[p] = MessageFingerprint(of: message) }
        }
        for index in keyOrder(messages) {
            let message = messages[index]
            guard let table = tableOfTopic[message.topic] else {
                batch.entries.append(.init(index: index, table: -1, action: .reject("no table is configured for topic \(message.topic)")))
                continue
            }
            let action: PreparedBatch<M>.Action
            if let value = message.value {
                action = value.withUnsafeBytes { upsert($0, tables[table], &batch) }
            } else {
                action = tombstone(message.key, tables[table], &batch)
            }
            batch.entries.append(.init(index: index, table: table, action: action))
        }
        return batch
    }

    private func upsert<M>(_ bytes: UnsafeRawBufferPointer, _ spec: TableSpec, _ batch: inout PreparedBatch<M>) -> PreparedBatch<M>.Action {
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

    private func reject<M>(_ reason: String, _ batch: inout PreparedBatch<M>, _ fields: Range<Int>, _ keyStart: Int) -> PreparedBatch<M>.Action {
        batch.fields.removeSubrange(fields)
        batch.keyParts.removeSubrange(keyStart...)
        return .reject(reason)
    }

    /// A tombstone's key: the message key itself, or for a compound key the elements of its
    /// JSON array.
    private func tombstone<M>(_ key: [UInt8]?, _ spec: TableSpec, _ batch: inout PreparedBatch<M>) -> PreparedBatch<M>.Action {
        guard let key, !key.isEmpty else { return .reject("a tombstone without a key") }
        return key.withUnsafeBytes { bytes -> PreparedBatch<M>.Action in
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
                        guard let decoded = element.stringContent!.strictlyDecoded(in: bytes) else { throw Unusable() }
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

    /// Indices of `messages` ordered by (table, message key), ties in batch order. Keys
    /// are packed into one buffer first, so the comparisons copy nothing.
    func keyOrder<M: StoreMessage>(_ messages: [M]) -> [Int] {
        var rank = [Int](repeating: 0, count: messages.count)
        var packed: [UInt8] = [0]
        var spans = [Range<Int>](repeating: 0..<0, count: messages.count)
        for (i, m) in messages.enumerated() {
            rank[i] = tableOfTopic[m.topic] ?? -1
            let start = packed.count
            if let key = m.key { packed.append(contentsOf: key) }
            spans[i] = start..<packed.count
        }
        return packed.withUnsafeBytes { keys in
            Array(messages.indices).sorted { a, b in
                if rank[a] != rank[b] { return rank[a] < rank[b] }
                let (x, y) = (spans[a], spans[b])
                let c = memcmp(keys.baseAddress! + x.lowerBound, keys.baseAddress! + y.lowerBound, min(x.count, y.count))
                if c != 0 { return c < 0 }
                if x.count != y.count { return x.count < y.count }
                return a < b
            }
        }
    }
}
