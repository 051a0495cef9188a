@testable import PaystreamStore
import Testing

/// RFC 3339 / ISO 8601 times read into one canonical UTC form whose byte order is time order.
@Suite struct TimestampTests {
    private func canonical(_ text: String) -> String? {
        var out = [UInt8](repeating: 0, count: Timestamp.canonicalLength)
        let ok = Array(text.utf8).withUnsafeBytes { input in out.withUnsafeMutableBytes { Timestamp.canonical(input, into: $0) } }
        return ok ? String(decoding: out, as: UTF8.self) : nil
    }

    @Test(arguments: [
        ("2024-01-02T03:04:05Z", "2024-01-02T03:04:05.000000000Z"),
        ("2024-01-02t03:04:05.5z", "2024-01-02T03:04:05.500000000Z"),
        ("2024-01-02 03:04:05.123456789123+00:00", "2024-01-02T03:04:05.123456789Z"),
        ("2024-01-02T03:04", "2024-01-02T03:04:00.000000000Z"),
        ("2024-01-02", "2024-01-02T00:00:00.000000000Z"),
        ("2024-03-01T00:30:00+01:00", "2024-02-29T23:30:00.000000000Z"),  // across a leap day
        ("2023-12-31T23:30:00-0130", "2024-01-01T01:00:00.000000000Z"),  // across a year
        ("2024-06-30T12:00:00,25+05", "2024-06-30T07:00:00.250000000Z"),
        ("1969-12-31T23:59:59.9Z", "1969-12-31T23:59:59.900000000Z"),
    ])
    func timesAreReadAsInstants(_ text: String, _ expected: String) {
        #expect(canonical(text) == expected)
    }

    @Test(arguments: [
        "2023-02-29T00:00:00Z", "2024-13-01", "2024-01-32", "2024-01-02T24:00:00Z", "2024-01-02T03:60Z",
        "2024-01-02T03:04:05.Z", "2024-01-02T03:04:05+25:00", "2024-1-2", "20240102", "yesterday", "",
        "2024-01-02T03:04:05Z trailing",
    ])
    func otherTextIsNotATime(_ text: String) {
        #expect(canonical(text) == nil)
    }

    @Test func canonicalTextSortsAsTime() {
        let times = ["2024-01-01T12:00:00Z", "2024-01-01T12:00:00.5Z", "2024-01-01T13:00:00+02:00", "2023-12-31T23:59:59.999999999Z"]
        let sortedByText = times.compactMap(canonical).sorted()
        #expect(sortedByText == [
            "2023-12-31T23:59:59.999999999Z", "2024-01-01T11:00:00.000000000Z",
            "2024-01-01T12:00:00.000000000Z", "2024-01-01T12:00:00.500000000Z",
        ])
    }
}
