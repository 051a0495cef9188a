import Foundation
@testable import PaystreamConfig
import Testing

/// The demo config damaged at random never crashes or hangs the config reader: each
/// variant is read or refused with an error. `PAYSTREAM_FUZZ_SECONDS` runs it longer.
@Suite struct ConfigFuzzTests {
    @Test func damagedConfigsAreReadOrRefusedNeverCrash() throws {
        let demo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../demo/pipeline-incremental.yaml")
        let original = Array(try String(contentsOf: demo, encoding: .utf8).utf8)
        let seconds = ProcessInfo.processInfo.environment["PAYSTREAM_FUZZ_SECONDS"].flatMap(Double.init) ?? 1
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        let specials = Array("{}[]:,-#'\"&*!|>%@`\n\t ${}.0123456789abc".utf8)
        var configs = 0, refused = 0
        // At least 100 variants whatever the machine, then more while the budget lasts.
        while configs < 100 || ContinuousClock.now < deadline {
            var text = original
            for _ in 0...Int.random(in: 0...3) {
                let at = Int.random(in: 0..<text.count)
                switch Int.random(in: 0..<4) {
                case 0: text[at] = specials.randomElement()!
                case 1: text.insert(specials.randomElement()!, at: at)
                case 2: text.remove(at: at)
                default: text.removeSubrange(at..<min(text.count, at + Int.random(in: 1...40)))
                }
                if text.isEmpty { text = original }
            }
            configs += 1
            do {
                _ = try ConfigLoader.parse(String(decoding: text, as: UTF8.self), environment: ["PAYSTREAM_API_URL": "http://localhost", "PAYSTREAM_API_KEY": "k"])
            } catch {
                refused += 1
                #expect(!"\(error)".isEmpty)
            }
        }
        print("config fuzz: \(configs) damaged configs, \(refused) refused with an error")
    }
}
