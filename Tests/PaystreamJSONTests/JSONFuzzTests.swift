import Foundation
import PaystreamBasics
import PaystreamJSON
import Testing

/// Random documents, valid and then damaged, read by `JSONReader` and by Foundation's
/// `JSONSerialization`: both must accept and reject the same inputs and read the same values.
/// `ops/test` runs it for a short budget; `PAYSTREAM_FUZZ_SECONDS` runs it longer by hand,
/// `PAYSTREAM_FUZZ_SEED` replays one seed.
@Suite struct JSONFuzzTests {
    @Test func readerAgreesWithFoundationOnRandomDocuments() {
        var fuzz = Fuzz.fromEnvironment(defaultSeconds: 2)
        var executions = 0
        var disagreements: [String] = []
        // At least 5,000 documents whatever the machine, then more while the budget lasts.
        while executions < 5000 || fuzz.hasTime, disagreements.count < 5 {
            let document = fuzz.document()
            executions += 1
            if let problem = compare(document) { disagreements.append(problem) }
        }
        #expect(disagreements.isEmpty, "\(disagreements.joined(separator: "\n"))")
        print("JSON fuzz: \(executions) documents from seed \(fuzz.seed), \(disagreements.count) disagreement(s)")
    }

    /// nil when both readers agree on `bytes`; otherwise what differs.
    private func compare(_ bytes: [UInt8]) -> String? {
        let ours = Tree.read(bytes)
        let theirs = Tree.foundation(bytes)
        switch (ours, theirs) {
        case (nil, nil): return nil
        case (let a?, let b?):
            return a.matches(b) ? nil : "different values for \(Fuzz.show(bytes)): ours \(a), Foundation's \(b)"
        // Foundation accepts a comma before `]` or `}`; JSON has none (RFC 8259 §5, §4).
        case (nil, _?) where Fuzz.hasTrailingComma(bytes): return nil
        // Foundation guesses UTF-16 or UTF-32 from zero bytes at the start; JSON between
        // systems is UTF-8 only (RFC 8259 §8.1), which is all the reader takes.
        case (nil, _?) where bytes.prefix(4).contains(0): return nil
        case (nil, _?): return "rejected what Foundation accepts: \(Fuzz.show(bytes))"
        // A number past Double's range is valid JSON (RFC 8259 §6 leaves the range to
        // readers); the reader passes its text on, Foundation refuses to convert it.
        case (_?, nil) where Tree.hasNumberPastDoubleRange(bytes): return nil
        // A `\u` escape of half a surrogate pair is within JSON's grammar (RFC 8259 §8.2:
        // "unpredictable" for readers); the reader passes the text on (a key built from it
        // is refused later as not UTF-8), Foundation refuses the document.
        case (_?, nil) where Fuzz.hasUnpairedSurrogateEscape(bytes): return nil
        case (_?, nil): return "accepted what Foundation rejects: \(Fuzz.show(bytes))"
        }
    }
}

/// A JSON value as both readers see it.
indirect enum Tree: CustomStringConvertible {
    case null, bool(Bool), number(Double), string(String), array([Tree]), object([String: Tree])
    /// An object with a key twice: readers may keep either value.
    case ambiguous

    static func read(_ bytes: [UInt8]) -> Tree? {
        bytes.withUnsafeBytes { raw in
            var reader = JSONReader(raw)
            do {
                let tree = try value(&reader, raw)
                try reader.expectEnd()
                return tree
            } catch {
                return nil
            }
        }
    }

    private static func value(_ reader: inout JSONReader, _ bytes: UnsafeRawBufferPointer) throws(JSONError) -> Tree {
        switch try reader.peekKind() {
        case .object:
            try reader.beginObject()
            var first = true
            var members: [String: Tree] = [:]
            var duplicate = false
            while let key = try reader.nextMember(&first) {
                let name = key.decoded(in: bytes)
                if members[name] != nil { duplicate = true }
                members[name] = try value(&reader, bytes)
            }
            return duplicate ? .ambiguous : .object(members)
        case .array:
            try reader.beginArray()
            var first = true
            var elements: [Tree] = []
            while try reader.nextElement(&first) { elements.append(try value(&reader, bytes)) }
            return .array(elements)
        case .string:
            return .string(try reader.skipValue().stringContent!.decoded(in: bytes))
        case .number:
            return .number(try reader.skipValue().double(in: bytes) ?? .nan)
        case .bool:
            return .bool(try reader.skipValue().bool(in: bytes)!)
        case .null:
            _ = try reader.skipValue()
            return .null
        }
    }

    static func foundation(_ bytes: [UInt8]) -> Tree? {
        guard let any = try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed]) else { return nil }
        return convert(any)
    }

    private static func convert(_ any: Any) -> Tree {
        switch any {
        case is NSNull: return .null
        case let text as String: return .string(text)
        case let array as [Any]: return .array(array.map(convert))
        case let object as [String: Any]: return .object(object.mapValues(convert))
        case let number as NSNumber:
            // Foundation on Linux returns booleans as NSNumber too: compared in `matches`.
            return .number(number.doubleValue)
        default: return .string("\(type(of: any))")
        }
    }

    /// Whether a number the reader accepted reads as ±infinity.
    static func hasNumberPastDoubleRange(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { raw in
            var reader = JSONReader(raw)
            var found = false
            func walk() throws(JSONError) {
                switch try reader.peekKind() {
                case .object:
                    try reader.beginObject()
                    var first = true
                    while try reader.nextMember(&first) != nil { try walk() }
                case .array:
                    try reader.beginArray()
                    var first = true
                    while try reader.nextElement(&first) { try walk() }
                default:
                    let value = try reader.skipValue()
                    if value.kind == .number, value.double(in: raw)?.isInfinite == true { found = true }
                }
            }
            try? walk()
            return found
        }
    }

    func matches(_ other: Tree) -> Bool {
        switch (self, other) {
        case (.ambiguous, _), (_, .ambiguous): return true
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.bool(let a), .number(let b)), (.number(let b), .bool(let a)): return (a ? 1.0 : 0.0) == b
        case (.number(let a), .number(let b)): return a == b || abs(a - b) <= 1e-12 * max(abs(a), abs(b)) || (a.isNaN && b.isNaN)
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)): return a.count == b.count && zip(a, b).allSatisfy { $0.matches($1) }
        case (.object(let a), .object(let b)):
            return a.count == b.count && a.allSatisfy { key, value in b[key].map(value.matches) ?? false }
        default: return false
        }
    }

    var description: String {
        switch self {
        case .null: "null"
        case .bool(let b): "\(b)"
        case .number(let n): "\(n)"
        case .string(let s): s.debugDescription
        case .array(let a): "[\(a.map(\.description).joined(separator: ","))]"
        case .object(let o): "{\(o.sorted { $0.key < $1.key }.map { "\($0.key.debugDescription):\($0.value)" }.joined(separator: ","))}"
        case .ambiguous: "(duplicate keys)"
        }
    }
}

/// Seeded random documents: well-formed ones, then most of them damaged (bytes changed,
/// inserted, removed, or the document cut short), as pages broken in transit are.
struct Fuzz {
    let seed: UInt64
    private var generator: SplitMix64
    private let deadline: ContinuousClock.Instant

    static func fromEnvironment(defaultSeconds: Double) -> Fuzz {
        let env = ProcessInfo.processInfo.environment
        let seconds = env["PAYSTREAM_FUZZ_SECONDS"].flatMap(Double.init) ?? defaultSeconds
        let seed = env["PAYSTREAM_FUZZ_SEED"].flatMap { UInt64($0) } ?? UInt64.random(in: 1...UInt64.max)
        return Fuzz(seed: seed, deadline: .now + .milliseconds(Int(seconds * 1000)))
    }

    init(seed: UInt64, deadline: ContinuousClock.Instant) {
        self.seed = seed
        generator = SplitMix64(seed: seed)
        self.deadline = deadline
    }

    var hasTime: Bool { ContinuousClock.now < deadline }

    /// The same sequence for the same seed everywhere: a seed replays a run.
    mutating func next() -> UInt64 { generator.next() }

    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }

    mutating func document() -> [UInt8] {
        var bytes = Array(value(depth: 0).utf8)
        if below(4) > 0 { damage(&bytes) }
        return bytes
    }

    private mutating func value(depth: Int) -> String {
        switch below(depth > 4 ? 5 : 7) {
        case 0: return "null"
        case 1: return below(2) == 0 ? "true" : "false"
        case 2: return number()
        case 3, 4: return string()
        case 5: return "[" + (0..<below(5)).map { _ in space() + value(depth: depth + 1) + space() }.joined(separator: ",") + "]"
        default:
            return "{" + (0..<below(5)).map { _ in space() + string() + space() + ":" + value(depth: depth + 1) }.joined(separator: ",") + "}"
        }
    }

    private mutating func space() -> String { ["", "", " ", "\n", "\t", "\r\n "][below(6)] }

    private mutating func number() -> String {
        var text = below(3) == 0 ? "-" : ""
        text += below(4) == 0 ? "0" : String(below(1_000_000) + 1)
        if below(3) == 0 { text += "." + String(below(100_000)) }
        if below(4) == 0 { text += ["e", "E", "e+", "e-"][below(4)] + String(below(400)) }
        if below(10) == 0 { text = String(next()) }
        return text
    }

    private mutating func string() -> String {
        let pieces = ["a", "Z", "0", " ", "é", "日本", "😀", "\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t",
                      "\\u0041", "\\u00e9", "\\u20AC", "\\ud83d\\ude00", "id", "_", "\u{7f}"]
        return "\"" + (0..<below(8)).map { _ in pieces[below(pieces.count)] }.joined() + "\""
    }

    /// Bytes that break JSON in the ways transport and bad servers do, and some that do not.
    private mutating func damage(_ bytes: inout [UInt8]) {
        let specials: [UInt8] = Array("{}[]\",:\\0123456789.-+eEtrufalsn \t\n".utf8) + [0x00, 0x1F, 0x7F, 0x80, 0xBF, 0xC3, 0xE2, 0xED, 0xF0, 0xFF]
        for _ in 0...below(3) {
            guard !bytes.isEmpty else { bytes.append(specials[below(specials.count)]); continue }
            let at = below(bytes.count)
            switch below(4) {
            case 0: bytes[at] = specials[below(specials.count)]
            case 1: bytes.insert(specials[below(specials.count)], at: at)
            case 2: bytes.remove(at: at)
            default: bytes.removeSubrange(at...)
            }
        }
    }

    /// Whether a `,` outside strings is followed (after blanks) by `]` or `}`.
    static func hasTrailingComma(_ bytes: [UInt8]) -> Bool {
        var inString = false, escaped = false, comma = false
        for b in bytes {
            if inString {
                if escaped { escaped = false } else if b == UInt8(ascii: "\\") { escaped = true } else if b == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch b {
            case UInt8(ascii: "\""): inString = true; comma = false
            case UInt8(ascii: ","): comma = true
            case UInt8(ascii: "]"), UInt8(ascii: "}"): if comma { return true }
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): break
            default: comma = false
            }
        }
        return false
    }

    /// Whether some `\uD800`-`\uDFFF` escape is not half of a high-low pair.
    static func hasUnpairedSurrogateEscape(_ bytes: [UInt8]) -> Bool {
        func escape(at i: Int) -> UInt32? {
            guard i + 5 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u"),
                  let text = String(validating: bytes[(i + 2)..<(i + 6)], as: UTF8.self) else { return nil }
            return UInt32(text, radix: 16)
        }
        var i = 0
        while i < bytes.count {
            guard bytes[i] == UInt8(ascii: "\\") else { i += 1; continue }
            guard let unit = escape(at: i) else { i += 2; continue }
            switch unit {
            case 0xD800...0xDBFF:
                guard let low = escape(at: i + 6), (0xDC00...0xDFFF).contains(low) else { return true }
                i += 12
            case 0xDC00...0xDFFF: return true
            default: i += 6
            }
        }
        return false
    }

    static func show(_ bytes: [UInt8]) -> String {
        String(validating: bytes, as: UTF8.self)?.debugDescription ?? "bytes \(bytes.map { String($0, radix: 16) }.joined(separator: " "))"
    }
}
