import PaystreamJSON
import PaystreamMessageFormat

/// Validates a response body and finds its records, their keys, cursors and versions, and
/// the paginator's signals, in one pass (two for unusual shapes) and without building a tree.
struct PageParser: Sendable {
    let dataSelector: JSONPath?
    let primaryKey: [JSONPath]
    /// The incremental cursor field.
    let cursorPath: JSONPath?
    /// The field telling versions of a record apart (may be the cursor field).
    let versionPath: JSONPath?
    let signalPaths: PageSignalPaths
    /// Fields read in each record: the key's, then the cursor's and version's if distinct.
    private let recordPaths: [JSONPath]
    private let cursorIndex: Int?
    private let versionIndex: Int?
    /// The signals the paginator reads, with their paths.
    private let paginatorPaths: [(kind: PageSignals.Kind, path: JSONPath)]

    init(dataSelector: JSONPath?, primaryKey: [JSONPath], cursorPath: JSONPath?, versionPath: JSONPath?, signalPaths: PageSignalPaths) {
        self.dataSelector = dataSelector
        self.primaryKey = primaryKey
        self.cursorPath = cursorPath
        self.versionPath = versionPath
        self.signalPaths = signalPaths
        var paths = primaryKey
        var cursorIndex: Int?
        if let cursorPath {
            cursorIndex = paths.count
            paths.append(cursorPath)
        }
        var versionIndex: Int?
        if let versionPath {
            versionIndex = paths.firstIndex(of: versionPath).flatMap { $0 >= primaryKey.count ? $0 : nil }
            if versionIndex == nil {
                versionIndex = paths.count
                paths.append(versionPath)
            }
        }
        recordPaths = paths
        self.cursorIndex = cursorIndex
        self.versionIndex = versionIndex
        paginatorPaths = signalPaths.wanted
    }

    /// List keys tried, in order, when no `data_selector` is configured and the body is
    /// an object (the same idea as dlt's record detection).
    static let conventionalListKeys = ["data", "items", "results", "records", "entries"]

    struct Parsed {
        var records: [PageRecord]
        var signals: PageSignals
    }

    enum Failure: Error {
        case invalidJSON(JSONError)
        case noRecordList(String)
        case recordWithoutKey(index: Int, field: String)
    }

    /// Throws a `Failure`.
    func parse(_ body: [UInt8]) throws -> Parsed {
        try body.withUnsafeBytes { bytes in try parse(bytes) }
    }

    private func parse(_ bytes: UnsafeRawBufferPointer) throws(Failure) -> Parsed {
        if let parsed = try parseInOnePass(bytes) { return parsed }
        let selectors: [JSONPath] = dataSelector.map { [$0] } ?? Self.conventionalListKeys.map { JSONPath(components: [$0]) }
        var reader = JSONReader(bytes)
        let found: [JSONValue?]
        let rootKind: JSONKind
        do {
            rootKind = try reader.peekKind()
            found = try reader.lookup(selectors + paginatorPaths.map(\.path) + [JSONPath(components: [])])
            try reader.expectEnd()
        } catch {
            throw .invalidJSON(error)
        }
        var signals = PageSignals()
        for (i, wanted) in paginatorPaths.enumerated() { signals.set(wanted.kind, from: found[selectors.count + i]?.scalarText(in: bytes)) }
        let list: JSONValue
        if let selected = found[..<selectors.count].compactMap({ $0 }).first(where: { $0.kind == .array }) {
            list = selected
        } else if dataSelector == nil, rootKind == .array, let root = found.last!, root.kind == .array {
            list = root
        } else if let selector = dataSelector {
            let what = found[0].map { "is \(Self.describe($0.kind)), not a list" } ?? "is missing from the response"
            throw .noRecordList("data_selector '\(selector)' \(what)")
        } else {
            throw .noRecordList("no data_selector is configured and the response has no list under \(Self.conventionalListKeys.joined(separator: ", "))")
        }
        return Parsed(records: try records(in: list, bytes), signals: signals)
    }

    /// The common shape — an object whose top-level members hold the list and the
    /// paginator's values — read in a single pass. Nil when the shape differs (nested
    /// selector or paginator paths, a list at the root, no list found): `parse` then takes
    /// the general path.
    private func parseInOnePass(_ bytes: UnsafeRawBufferPointer) throws(Failure) -> Parsed? {
        guard (dataSelector?.components.count ?? 1) == 1, paginatorPaths.allSatisfy({ $0.path.components.count == 1 }) else { return nil }
        let listKeys = dataSelector.map { $0.components } ?? Self.conventionalListKeys
        var reader = JSONReader(bytes)
        var signals = PageSignals()
        var records: [PageRecord]?
        var keyFailure: Failure?
        do throws(JSONError) {
            guard try reader.peekKind() == .object else { return nil }
            try reader.beginObject()
            var first = true
            while let key = try reader.nextMember(&first) {
                if records == nil, listKeys.contains(where: { key.equals($0, in: bytes) }), try reader.peekKind() == .array {
                    records = try self.records(&reader, bytes, keyFailure: &keyFailure)
                    if keyFailure != nil { break }
                } else if let kind = paginatorPaths.first(where: { key.equals($0.path.components[0], in: bytes) })?.kind {
                    signals.set(kind, from: try reader.skipValue().scalarText(in: bytes))
                } else {
                    try reader.skipValue()
                }
            }
            // After a keyless record the reader stopped inside the list: that record's failure is the answer.
            if keyFailure == nil { try reader.expectEnd() }
        } catch {
            throw .invalidJSON(error)
        }
        if let keyFailure { throw keyFailure }
        guard let records else { return nil }
        return Parsed(records: records, signals: signals)
    }

    private func records(in list: JSONValue, _ bytes: UnsafeRawBufferPointer) throws(Failure) -> [PageRecord] {
        var reader = JSONReader(bytes)
        var keyFailure: Failure?
        let records: [PageRecord]
        do throws(JSONError) {
            try reader.skip(to: list.range.lowerBound)
            records = try self.records(&reader, bytes, keyFailure: &keyFailure)
        } catch {
            throw .invalidJSON(error)
        }
        if let keyFailure { throw keyFailure }
        return records
    }

    /// Reads the array at the reader's position: each element's range, key, cursor and version.
    /// A record without a usable key stops the read with `keyFailure` set; the document's
    /// own errors are thrown.
    private func records(_ reader: inout JSONReader, _ bytes: UnsafeRawBufferPointer, keyFailure: inout Failure?) throws(JSONError) -> [PageRecord] {
        var records: [PageRecord] = []
        try reader.beginArray()
        var first = true
        while try reader.nextElement(&first) {
            let start = reader.position
            let kind = try reader.peekKind()
            let values = kind == .object ? try reader.lookup(recordPaths) : [JSONValue?](repeating: nil, count: recordPaths.count)
            if kind != .object { try reader.skipValue() }
            let key: [UInt8]
            do {
                key = try recordKey(values, bytes, index: records.count)
            } catch {
                keyFailure = error
                return records
            }
            records.append(PageRecord(
                range: start..<reader.position, key: key,
                cursor: cursorIndex.flatMap { Self.scalarRange(values[$0]) }, version: versionIndex.flatMap { Self.scalarRange(values[$0]) }
            ))
        }
        return records
    }

    /// Where a string or number value lies; nil for anything else (null, objects, arrays).
    private static func scalarRange(_ value: JSONValue?) -> Range<Int>? {
        guard let value, value.kind == .string || value.kind == .number else { return nil }
        return value.range
    }

    private func recordKey(_ values: [JSONValue?], _ bytes: UnsafeRawBufferPointer, index: Int) throws(Failure) -> [UInt8] {
        if primaryKey.count == 1 {
            guard let v = values[0], v.kind != .null, v.kind != .object, v.kind != .array else {
                throw .recordWithoutKey(index: index, field: primaryKey[0].description)
            }
            // The key's text: a string's content (decoded only if it has escapes), else the
            // number or boolean as written.
            let key: [UInt8]
            if let string = v.stringContent {
                key = string.hasEscapes ? Array(string.decoded(in: bytes).utf8) : Array(bytes[string.range])
            } else {
                key = Array(bytes[v.range])
            }
            guard !key.isEmpty else { throw .recordWithoutKey(index: index, field: primaryKey[0].description) }
            return key
        }
        // Compound key: a JSON array of the key values as the API wrote them.
        var raws: [UnsafeRawBufferPointer] = []
        for (i, path) in primaryKey.enumerated() {
            guard let v = values[i], v.kind != .null, v.kind != .object, v.kind != .array else {
                throw .recordWithoutKey(index: index, field: path.description)
            }
            raws.append(v.raw(in: bytes))
        }
        return MessageKey.compound(raws)
    }

    private static func describe(_ kind: JSONKind) -> String {
        switch kind {
        case .object: "an object"
        case .array: "a list"
        case .string: "a string"
        case .number: "a number"
        case .bool: "a boolean"
        case .null: "null"
        }
    }
}
