import PaystreamBasics
import Testing

@Suite struct PercentCodingTests {
    @Test func onlyUnreservedCharactersStayAsWritten() {
        #expect(PercentCoding.encode("AZaz09-._~") == "AZaz09-._~")
        #expect(PercentCoding.encode("a b&c=d+e/f?g#h%") == "a%20b%26c%3Dd%2Be%2Ff%3Fg%23h%25")
        #expect(PercentCoding.encode("é") == "%C3%A9")
        #expect(PercentCoding.encode("{incremental.start_value}") == "%7Bincremental.start_value%7D")
    }

    @Test func decodingUndoesEncodingForAnyText() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let scalars = (0..<Int.random(in: 0...12, using: &generator)).map { _ in
                Unicode.Scalar(UInt32.random(in: 0x20...0x7E, using: &generator))!
            } + ["é", "€", "😀"].shuffled(using: &generator).prefix(Int.random(in: 0...2, using: &generator))
            let text = String(String.UnicodeScalarView(scalars))
            #expect(PercentCoding.decode(PercentCoding.encode(text)) == text, "\(text)")
        }
    }

    @Test func formsDecodePlusAsSpaceAndKeepMalformedEscapes() {
        #expect(PercentCoding.decode("a+b%20c") == "a b c")
        #expect(PercentCoding.decode("a+b", plusIsSpace: false) == "a+b")
        #expect(PercentCoding.decode("100%") == "100%")
        #expect(PercentCoding.decode("%zz%4") == "%zz%4")
        #expect(PercentCoding.decode("%FF") == "\u{FFFD}", "invalid UTF-8 is replaced, not trapped on")
        let pairs = PercentCoding.pairs("a=1&b=&c&d=x%3Dy")
        #expect(pairs.map(\.name) == ["a", "b", "c", "d"])
        #expect(pairs.map(\.value) == ["1", "", "", "x=y"])
    }
}
