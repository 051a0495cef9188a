import Foundation
import PaystreamJSON
@testable import PaystreamSource
import Testing

/// Pages damaged at random (bytes changed, inserted, removed, cut short) never crash or hang
/// the page parser, and it accepts none that is not JSON (Foundation's `JSONSerialization`
/// as the judge). `PAYSTREAM_FUZZ_SECONDS` runs it longer by hand.
@Suite struct PageParserFuzzTests {
    @Test func damagedPagesAreRejectedOrReadNeverAcceptedInvalid() throws {
        let parser = PageParser(
            dataSelector: try JSONPath(parsing: "data"), primaryKey: [try JSONPath(parsing: "id")],
            cursorPath: try JSONPath(parsing: "updated_at"), versionPath: nil,
            signalPaths: PageSignalPaths(hasMore: try JSONPath(parsing: "has_more"), total: nil, nextCursor: nil, nextURL: nil)
        )
        let seconds = ProcessInfo.processInfo.environment["PAYSTREAM_FUZZ_SECONDS"].flatMap(Double.init) ?? 1
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        var random = SystemRandomNumberGenerator()
        var pages = 0, accepted = 0
        var wrong: [String] = []
        // At least 1,000 pages whatever the machine, then more while the budget lasts.
        while pages < 1000 || ContinuousClock.now < deadline, wrong.count < 3 {
            var page = Array(Self.page(records: Int.random(in: 0...5, using: &random), using: &random).utf8)
            for _ in 0...Int.random(in: 0...2, using: &random) { Self.damage(&page, using: &random) }
            pages += 1
            guard (try? parser.parse(page)) != nil else { continue }
            accepted += 1
            if (try? JSONSerialization.jsonObject(with: Data(page), options: [.fragmentsAllowed])) == nil, !Self.hasNumberPastDoubleRange(page) {
                wrong.append(String(decoding: page, as: UTF8.self).debugDescription)
            }
        }
        #expect(wrong.isEmpty, "the parser accepted pages that are not JSON:\n\(wrong.joined(separator: "\n"))")
        print("page parser fuzz: \(pages) damaged pages, \(accepted) still read as pages")
    }

    private static func page(records: Int, using random: inout some RandomNumberGenerator) -> String {
        let items = (0..<records).map { i in
            #"{"id":"cus_\#(i)","updated_at":"2024-01-0\#(i % 9 + 1)T00:00:00Z","name":"é😀\u00e9","n":\#(Int.random(in: -9...9999, using: &random)).5,"tags":[true,null]}"#
        }
        return #"{"data":[\#(items.joined(separator: ","))],"has_more":\#(Bool.random(using: &random))}"#
    }

    private static func damage(_ bytes: inout [UInt8], using random: inout some RandomNumberGenerator) {
        let specials: [UInt8] = Array("{}[]\",:\\0123456789.-eEtrufalsn \n".utf8) + [0x00, 0x1F, 0x80, 0xC3, 0xED, 0xF0, 0xFF]
        guard !bytes.isEmpty else { return }
        let at = Int.random(in: 0..<bytes.count, using: &random)
        switch Int.random(in: 0..<4, using: &random) {
        case 0: bytes[at] = specials.randomElement(using: &random)!
        case 1: bytes.insert(specials.randomElement(using: &random)!, at: at)
        case 2: bytes.remove(at: at)
        default: bytes.removeSubrange(at...)
        }
    }

    /// Numbers past Double's range are JSON the parser passes on; Foundation refuses them.
    private static func hasNumberPastDoubleRange(_ page: [UInt8]) -> Bool {
        let text = String(decoding: page, as: UTF8.self)
        return text.split(whereSeparator: { !"0123456789.eE+-".contains($0) }).contains { Double($0)?.isInfinite == true }
    }
}
