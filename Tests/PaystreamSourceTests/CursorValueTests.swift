import NIOHTTP1
@testable import PaystreamSource
import Testing

/// Cursor values as APIs write them: compared as times or numbers, written back the API's way.
@Suite struct CursorValueTests {
    @Test(arguments: [
        ("2024-01-05T10:20:30Z", 1_704_450_030, 0),
        ("2024-01-05T10:20:30.5Z", 1_704_450_030, 500_000_000),
        ("2024-01-05T10:20:30.123456789Z", 1_704_450_030, 123_456_789),
        ("2024-01-05T12:20:30+02:00", 1_704_450_030, 0),
        ("2024-01-05 10:20:30z", 1_704_450_030, 0),
        ("2024-01-05", 1_704_412_800, 0),
    ])
    func rfc3339TimesAreRead(text: String, seconds: Int64, nanoseconds: Int32) {
        #expect(RFC3339.instant(text) == RFC3339.Instant(seconds: seconds, nanoseconds: nanoseconds))
    }

    @Test(arguments: ["", "2024-13-01T00:00:00Z", "2024-02-30T00:00:00Z", "2023-02-29", "2024-01-05T10:20:30", "2024-01-05T10:20:30.Z", "yesterday", "1704450030"])
    func otherTextIsNotATime(text: String) {
        #expect(RFC3339.instant(text) == nil)
    }

    @Test func timesAreWrittenInTheLayoutOfAnExampleTruncatedToItsPrecision() throws {
        let instant = RFC3339.Instant(seconds: 1_704_450_030, nanoseconds: 987_654_321)
        #expect(try #require(RFC3339.Layout(of: "2020-01-01T00:00:00Z")).format(instant) == "2024-01-05T10:20:30Z")
        #expect(try #require(RFC3339.Layout(of: "2020-01-01T00:00:00.000Z")).format(instant) == "2024-01-05T10:20:30.987Z")
        #expect(try #require(RFC3339.Layout(of: "2020-01-01 00:00:00.000000+00:00")).format(instant) == "2024-01-05 10:20:30.987654+00:00")
        #expect(try #require(RFC3339.Layout(of: "2020-01-01")).format(instant) == "2024-01-05")
    }

    @Test func valuesCompareAsTimesOrNumbersNotAsText() {
        let nine = CursorValue(text: "9", isNumber: true), ten = CursorValue(text: "10", isNumber: true)
        #expect(nine.isBefore(ten) && !ten.isBefore(nine))
        let short = CursorValue(text: "2024-01-05T10:20:30Z", isNumber: false)
        let long = CursorValue(text: "2024-01-05T10:20:30.000Z", isNumber: false)
        #expect(short.isSameCursor(as: long))
        #expect(short.isBefore(CursorValue(text: "2024-01-05T10:20:30.001Z", isNumber: false)))
        // A number and a time are not ordered: neither is before the other.
        #expect(!nine.isBefore(short) && !short.isBefore(nine) && !nine.isSameCursor(as: short))
    }

    @Test func theFormatOfACursorIsLearntFromOneOfItsValues() {
        #expect(CursorFormat(example: CursorValue(text: "1704450030", isNumber: true)) == .epochSeconds)
        #expect(CursorFormat(example: CursorValue(text: "1704450030123", isNumber: true)) == .epochMilliseconds)
        #expect(CursorFormat(example: CursorValue(text: "18231", isNumber: true)) == .opaque)
        #expect(CursorFormat(example: CursorValue(text: "v17", isNumber: false)) == .opaque)
        let instant = RFC3339.Instant(seconds: 1_704_450_030, nanoseconds: 250_000_000)
        #expect(CursorFormat.epochMilliseconds.cursor(at: instant) == CursorValue(text: "1704450030250", isNumber: true))
        #expect(CursorFormat.opaque.cursor(at: instant) == nil, "a counter is never made from a clock")
    }

    @Test func lagIsSecondsForTimesAndTheCursorsOwnUnitForNumbers() {
        #expect(CursorFormat.subtract(90, from: CursorValue(text: "2024-01-05T10:20:30Z", isNumber: false)).text == "2024-01-05T10:19:00Z")
        #expect(CursorFormat.subtract(5, from: CursorValue(text: "18231", isNumber: true)).text == "18226")
        #expect(CursorFormat.subtract(0, from: CursorValue(text: "x", isNumber: false)).text == "x")
    }
}

/// What an incremental window puts into requests.
@Suite struct IncrementalRequestValuesTests {
    let values = IncrementalRequestValues(start: CursorValue(text: "1704450030", isNumber: true), end: nil,
                                          initial: CursorValue(text: "2024-01-01T00:00:00Z", isNumber: false))

    @Test func parametersAreFilledInOrLeftOutWhenTheyHaveNoValue() {
        #expect(values.expandParameter("{incremental.start_value}") == "1704450030")
        #expect(values.expandParameter("updated>={incremental.last_value}") == "updated>=1704450030")
        #expect(values.expandParameter("{incremental.end_value}") == nil)
        #expect(values.expandParameter("{incremental.initial_value}") == "2024-01-01T00:00:00Z")
        // Brace text that is not one of dlt's placeholders came from the environment: data.
        #expect(values.expandParameter("s3cr{et}") == "s3cr{et}")
    }

    @Test func jsonKeepsNumbersNumbersAndAMissingValueIsNull() throws {
        #expect(try values.jsonLiteral(for: "{incremental.start_value}", of: "r") == "1704450030")
        #expect(try values.jsonLiteral(for: "{incremental.initial_value}", of: "r") == #""2024-01-01T00:00:00Z""#)
        #expect(try values.jsonLiteral(for: "{incremental.end_value}", of: "r") == "null")
        #expect(try values.jsonLiteral(for: "since {incremental.start_value}", of: "r") == #""since 1704450030""#)
        #expect(throws: SourceError.self) { try values.jsonLiteral(for: "until {incremental.end_value}", of: "r") }
    }
}

/// Secrets hidden in text Paystream prints.
@Suite struct RedactorTests {
    @Test func secretsAreHiddenAsWrittenAndEncoded() {
        let redactor = Redactor(secrets: ["sk live/1", "ab"])
        #expect(redactor.redact("key sk live/1, sk%20live%2F1, sk+live%2F1; ab") == "key ***, ***, ***; ab")
    }

    @Test func credentialsARequestCarriedAreHiddenToo() {
        var request = RESTRequest(url: "https://api.test/x")
        request.headers = ["Authorization": "Bearer tok_fetched_later_123", "Accept": "application/json"]
        let redactor = Redactor(secrets: []).including(credentialsOf: request)
        #expect(redactor.redact("invalid token tok_fetched_later_123; accept application/json") == "invalid token ***; accept application/json")
    }

    @Test func anExcerptIsRedactedBeforeItIsCut() {
        let body = Array((String(repeating: "x", count: 195) + "sk_live_secret_value and more").utf8)
        let excerpt = Redactor(secrets: ["sk_live_secret_value"]).excerpt(body)
        #expect(!excerpt.contains("sk_live"))
        #expect(excerpt.hasSuffix("…"))
    }
}
