import Foundation
import PaystreamConfig
import PaystreamJSON
@testable import PaystreamSource
import Testing

@Suite struct RetryPolicyTests {
    @Test func retryAfterIsReadAsSecondsOrAnHTTPDate() {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        #expect(RetryPolicy.parseRetryAfter("3", now: now) == 3)
        #expect(RetryPolicy.parseRetryAfter("Tue, 14 Nov 2023 22:13:30 GMT", now: now) == 10)
        #expect(RetryPolicy.parseRetryAfter("soon", now: now) == nil)
    }

    @Test func retryAfterZeroCannotBurnEveryAttemptAndWaitsAreCapped() {
        var config = ErrorHandlerConfig()
        config.backoffFactor = 0
        config.maximumBackoff = 5
        let policy = RetryPolicy(config: config)
        #expect(policy.delay(attempt: 1, retryAfter: "0") >= RetryPolicy.retryAfterFloor)
        #expect(policy.delay(attempt: 1, retryAfter: "3600") == 5)
        config.backoffFactor = 1
        let exponential = RetryPolicy(config: config)
        let third = exponential.delay(attempt: 3, retryAfter: nil)
        #expect(third >= 2 && third <= 4, "factor × 2^(n-1) = 4, jittered down to half")
    }
}

@Suite struct PageParserTests {
    private func parse(_ body: String, selector: String? = "data", key: [String] = ["id"]) throws -> PageParser.Parsed {
        let parser = PageParser(
            dataSelector: try selector.map { try JSONPath(parsing: $0) }, primaryKey: try key.map { try JSONPath(parsing: $0) },
            cursorPath: try JSONPath(parsing: "updated_at"), versionPath: try JSONPath(parsing: "version"),
            signalPaths: PageSignalPaths(hasMore: try JSONPath(parsing: "has_more"), total: try JSONPath(parsing: "meta.total"),
                                         nextCursor: try JSONPath(parsing: "next"), nextURL: try JSONPath(parsing: "links.next"))
        )
        return try parser.parse(Array(body.utf8))
    }

    @Test func findsRecordsKeysCursorsVersionsAndNamedSignals() throws {
        let body = #"{"data":[{"id":"a","updated_at":"t1","version":3},{"id":7,"updated_at":12}],"has_more":true,"next":"c2","meta":{"total":40},"links":{"next":"/p?x=1"}}"#
        let parsed = try parse(body)
        #expect(parsed.records.map { String(decoding: $0.key, as: UTF8.self) } == ["a", "7"])
        let page = Page(body: Array(body.utf8), records: parsed.records, url: "")
        #expect(parsed.records.map { page.cursor(of: $0) } == [CursorValue(text: "t1", isNumber: false), CursorValue(text: "12", isNumber: true)])
        #expect(parsed.records.map { $0.version.map { String(decoding: page.body[$0], as: UTF8.self) } } == ["3", nil])
        #expect(parsed.signals == PageSignals(hasMore: true, total: 40, nextCursor: "c2", nextURL: "/p?x=1"))
    }

    @Test func signalsAtTheTopLevelAreReadInTheSinglePass() throws {
        let parser = PageParser(
            dataSelector: JSONPath(components: ["data"]), primaryKey: [JSONPath(components: ["id"])], cursorPath: nil, versionPath: nil,
            signalPaths: PageSignalPaths(hasMore: JSONPath(components: ["has_more"]), total: JSONPath(components: ["total"]))
        )
        let parsed = try parser.parse(Array(#"{"total":5,"data":[{"id":1}],"has_more":false}"#.utf8))
        #expect(parsed.signals == PageSignals(hasMore: false, total: 5))
    }

    @Test func compoundKeysAreJSONArraysOfTheValuesAsWritten() throws {
        let parsed = try parse(#"{"data":[{"invoice":"in_1","line":2}]}"#, key: ["invoice", "line"])
        #expect(parsed.records.map { String(decoding: $0.key, as: UTF8.self) } == [#"["in_1",2]"#])
    }

    /// The same failure on both paths: the single pass (a top-level list) and the general one
    /// (a nested selector), with records after the keyless one.
    @Test(arguments: [
        (#"{"data":[{"id":"a"},{"name":"no id"},{"id":"c"}],"has_more":true}"#, "data"),
        (#"{"data":[{"id":"a"},{"name":"no id"},{"id":"c"}]}"#, nil),
        (#"{"page":{"data":[{"id":"a"},{"name":"no id"},{"id":"c"}]}}"#, "page.data"),
    ] as [(String, String?)])
    func aRecordWithoutItsKeyIsReportedAsSuch(body: String, selector: String?) {
        do {
            let parser = PageParser(
                dataSelector: try selector.map { try JSONPath(parsing: $0) }, primaryKey: [JSONPath(components: ["id"])], cursorPath: nil,
                versionPath: nil, signalPaths: PageSignalPaths(hasMore: JSONPath(components: ["has_more"]))
            )
            _ = try parser.parse(Array(body.utf8))
            Issue.record("a record without its key was accepted")
        } catch PageParser.Failure.recordWithoutKey(let index, let field) {
            #expect(index == 1 && field == "id")
        } catch {
            Issue.record("reported as \(error)")
        }
    }

    @Test func aMissingSelectorOrATruncatedPageIsAnError() {
        #expect(throws: PageParser.Failure.self) { try parse(#"{"items":[{"id":"a"}]}"#) }
        #expect(throws: PageParser.Failure.self) { try parse(#"{"data":[{"id":"a"}"#) }
    }

    @Test func withoutASelectorARootListOrAConventionalKeyIsUsed() throws {
        #expect(try parse(#"[{"id":"a"}]"#, selector: nil).records.count == 1)
        #expect(try parse(#"{"results":[{"id":"a"},{"id":"b"}]}"#, selector: nil).records.count == 2)
    }
}
