import Foundation
import PaystreamBasics
import Testing

/// Civil dates against Foundation's Gregorian calendar in UTC, which every parser and
/// formatter of timestamps in Paystream relies on through `CivilDate`.
@Suite struct CivilDateTests {
    private static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    @Test func everyFourthDayFrom1600To2400AgreesWithFoundation() {
        var mismatches: [String] = []
        // 1600-01-01 is day −135,140; 2400-12-31 is day 157,054.
        for days in stride(from: Int64(-135_140), through: 157_054, by: 4) {
            let parts = Self.utc.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: Double(days) * 86_400))
            let date = CivilDate(daysSinceEpoch: days)
            if (date.year, date.month, date.day) != (parts.year!, parts.month!, parts.day!) || date.daysSinceEpoch != days {
                mismatches.append("day \(days): \(date) vs \(parts)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }

    @Test func daysThatDoNotExistAreRefused() {
        #expect(CivilDate(year: 2024, month: 2, day: 29) != nil)
        #expect(CivilDate(year: 2023, month: 2, day: 29) == nil)
        #expect(CivilDate(year: 1900, month: 2, day: 29) == nil, "1900 is not a leap year")
        #expect(CivilDate(year: 2000, month: 2, day: 29) != nil, "2000 is")
        #expect(CivilDate(year: 2024, month: 4, day: 31) == nil)
        #expect(CivilDate(year: 2024, month: 13, day: 1) == nil)
        #expect(CivilDate(year: 2024, month: 1, day: 0) == nil)
    }

    @Test func secondsBefore1970LandOnTheDayBefore() {
        let lastSecondOf1969 = EpochSeconds(-1)
        #expect((lastSecondOf1969.date.year, lastSecondOf1969.date.month, lastSecondOf1969.date.day) == (1969, 12, 31))
        #expect((lastSecondOf1969.hour, lastSecondOf1969.minute, lastSecondOf1969.second) == (23, 59, 59))
        let instant = EpochSeconds(1_704_067_200 + 3661)
        #expect((instant.date.year, instant.date.month, instant.date.day, instant.hour, instant.minute, instant.second) == (2024, 1, 1, 1, 1, 1))
    }
}
