import PaystreamCommandSupport
import Testing

/// The check behind every numeric option: both ends included, NaN and infinity outside,
/// and messages that say what the option takes.
@Suite struct NumericRangeTests {
    @Test func bothEndsAreInsideAndNothingBeyond() throws {
        let seconds = NumericRange<Double>.seconds
        #expect(try seconds.parse("0.001") == 0.001)
        #expect(try seconds.parse("31536000") == 31_536_000)
        for outside in ["0", "-5", "31536001", "nan", "inf", "-inf", "1e300"] {
            #expect(throws: (any Error).self, "\(outside)") { try seconds.parse(outside) }
        }
        #expect(try NumericRange(1, 8).parse("8") == 8)
    }

    @Test func theMessageSaysWhatTheOptionTakes() {
        #expect("\(NumericRange<Double>.seconds)" == "from 0.001 to 31536000")
        #expect(throws: (any Error).self) { try NumericRange(1, 100_000).parse("1.5") }
        do {
            _ = try NumericRange(1, 100_000).parse("1.5")
        } catch {
            #expect("\(error)" == "expected a whole number from 1 to 100000")
        }
        do {
            _ = try NumericRange<Int>.port.parse("70000")
        } catch {
            #expect("\(error)" == "must be from 0 to 65535")
        }
    }
}
