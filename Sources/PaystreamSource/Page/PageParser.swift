import PaystreamJSON

/// Validates a response body and finds its records, their keys and cursors, and the
/// values the paginator needs, in two passes and without building a tree.
struct PageParser: Sendable {
    let dataSelector: JSONPath?
    let primaryKey: [JSONPath]
    let cursorPath: JSONPath?
    let paginatorPaths: [JSONPath]

    /// List keys tried, in order, when no `data_selector` is configured and the body is
    /// an object (the same idea as dlt's record detection).
    static let conventionalListKeys = ["data", "items", "results", "records", "entries"]

    struct Parsed {
        var records: [PageRecord]
        var paginatorValues: [String?]
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
        let selectors: [JSONPath] = dataSelector.map { [$0] } ?? Self.conventionalListKeys.map { JSONPath(components: [$0]) }
        var reader = JSONReader(bytes)
        let found: [JSONValue?]
        let rootKind: JSONKind
        do {
            rootKind = try reader.peekKind()
            found = try reader.lookup(selectors + paginatorPaths + [JSONPath(components: [])])
            try reader.expectEnd()
        } catch {
            throw .invalidJSON(error)
        }
        let paginatorValues = found[selectors.count..<(selectors.count + paginatorPaths.count)].map { $0?.scalarText(in: bytes) }
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
        return Parsed(records: try records(in: list, bytes), paginatorValues: paginatorValues)
    }

    private func records(in list: JSONValue, _ bytes: UnsafeRawBufferPointer) throws(Failure) -> [PageRecord] {
        var reader = JSONReader(UnsafeRawBufferPointer(rebasing: bytes[list.range]))
        let base = list.range.lowerBound
        let paths = primaryKey + (cursorPath.map { [$0] } ?? [])
        var records: [PageRecord] = []
        do {
            try reader.beginArray()
            var first = true
            while try reader.nextElement(&first) {
                let start = reader.position
                let kind = try reader.peekKind()
                let values = kind == .object ? try reader.lookup(paths) : [JSONValue?](repeating: nil, count: paths.count)
                if kind != .object { try reader.skipValue() }
                let range = (base + start)..<(base + reader.position)
                let key = try recordKey(values, reader.bytes, index: records.count)
                let cursor = cursorPath == nil ? nil : values.last!?.scalarText(in: reader.bytes)
                records.append(PageRecord(range: range, key: key, cursor: cursor))
            }
        } catch let error as JSONError {
            throw .invalidJSON(error)
        } catch let error as Failure {
            throw error
        } catch {
            preconditionFailure("unexpected error \(error)")
        }
        return records
    }

    private func recordKey(_ values: [JSONValue?], _ bytes: UnsafeRawBufferPointer, index: Int) throws(Failure) -> [UInt8] {
        if primaryKey.count == 1 {
            guard let v = values[0], let text = v.scalarText(in: bytes), !text.isEmpty else {
                throw .recordWithoutKey(index: index, field: primaryKey[0].description)
            }
            return Array(text.utf8)
        }
        // Compound key: a JSON array of the key values as the API wrote them.
        var key: [UInt8] = [UInt8(ascii: "[")]
        for (i, path) in primaryKey.enumerated() {
            guard let v = values[i], v.kind != .null, v.kind != .object, v.kind != .array else {
                throw .recordWithoutKey(index: index, field: path.description)
            }
            if i > 0 { key.append(UInt8(ascii: ",")) }
            key.append(contentsOf: v.raw(in: bytes))
        }
        key.append(UInt8(ascii: "]"))
        return key
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
