import PaystreamBasics
import Testing

@Suite struct DurationUnitsTests {
    @Test func unitsAreCutTowardsZero() {
        let d = Duration.seconds(2) + .nanoseconds(1_999_999)
        #expect(d.seconds == 2.001999999)
        #expect(d.milliseconds == 2001)
        #expect(d.nanoseconds == 2_001_999_999)
        #expect(Duration.milliseconds(-1500).milliseconds == -1500)
        #expect(Duration.zero.seconds == 0)
    }
}
