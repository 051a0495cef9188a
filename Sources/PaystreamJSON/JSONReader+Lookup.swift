extension JSONReader {
    /// Reads (and validates) the value at the current position, returning where each of
    /// `paths` points inside it, nil for a path that is absent. One pass, no tree.
    public mutating func lookup(_ paths: [JSONPath]) throws(JSONError) -> [JSONValue?] {
        var found = [JSONValue?](repeating: nil, count: paths.count)
        if paths.allSatisfy({ $0.components.count == 1 }) {
            try lookupTopLevel(paths, into: &found)
        } else {
            try lookup(paths, depth: 0, active: Array(paths.indices), into: &found)
        }
        return found
    }

    /// The common case (`id`, `updated_at`): top-level names only, no allocation per member.
    private mutating func lookupTopLevel(_ paths: [JSONPath], into found: inout [JSONValue?]) throws(JSONError) {
        guard try peekKind() == .object else {
            try skipValue()
            return
        }
        try beginObject()
        var first = true
        while let key = try nextMember(&first) {
            var value: JSONValue?
            for i in paths.indices where key.equals(paths[i].components[0], in: bytes) {
                if value == nil { value = try skipValue() }
                found[i] = value
            }
            if value == nil { try skipValue() }
        }
    }

    private mutating func lookup(_ paths: [JSONPath], depth: Int, active: [Int], into found: inout [JSONValue?]) throws(JSONError) {
        var wanted: [Int] = []
        for i in active {
            if paths[i].components.count == depth {
                wanted.append(i)
            }
        }
        let descending = active.filter { paths[$0].components.count > depth }
        guard !descending.isEmpty, try peekKind() == .object else {
            let value = try skipValue()
            for i in wanted { found[i] = value }
            return
        }
        let start = position
        try beginObject()
        var first = true
        while let key = try nextMember(&first) {
            let matching = descending.filter { key.equals(paths[$0].components[depth], in: bytes) }
            if matching.isEmpty {
                try skipValue()
            } else {
                try lookup(paths, depth: depth + 1, active: matching, into: &found)
            }
        }
        for i in wanted { found[i] = JSONValue(kind: .object, range: start..<position, hasEscapes: false) }
    }
}

extension JSONValue {
    /// A scalar as text: strings decoded, numbers and booleans as written, nil for null and
    /// for objects and arrays.
    public func scalarText(in bytes: UnsafeRawBufferPointer) -> String? {
        switch kind {
        case .string: stringContent!.decoded(in: bytes)
        case .number, .bool: String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        case .null, .object, .array: nil
        }
    }

    /// The raw bytes of the value as written in the document.
    public func raw(in bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[range])
    }

    /// An integer number's value; nil for fractions, exponents and out-of-range numbers.
    public func int64(in bytes: UnsafeRawBufferPointer) -> Int64? {
        guard kind == .number else { return nil }
        var value: Int64 = 0
        var negative = false
        for (i, b) in UnsafeRawBufferPointer(rebasing: bytes[range]).enumerated() {
            if i == 0 && b == UInt8(ascii: "-") {
                negative = true
                continue
            }
            guard b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") else { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int64(b - UInt8(ascii: "0")))
            guard !o1 && !o2 else { return nil }
            value = a
        }
        return negative ? -value : value
    }

    public func double(in bytes: UnsafeRawBufferPointer) -> Double? {
        guard kind == .number else { return nil }
        return Double(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self))
    }

    public func bool(in bytes: UnsafeRawBufferPointer) -> Bool? {
        guard kind == .bool else { return nil }
        return bytes[range.lowerBound] == UInt8(ascii: "t")
    }
}
