@testable import PaystreamStore
import Testing

/// Reading a record's top-level fields: every failure is a `RecordFields.Failure` (the
/// compiler checks that nothing else can come out), and a failed record adds no fields.
@Suite struct RecordFieldsTests {
    private func parse(_ text: String, into fields: inout [RecordFields.Field]) -> Result<Range<Int>, RecordFields.Failure> {
        Array(text.utf8).withUnsafeBytes { bytes in Result { () throws(RecordFields.Failure) in try RecordFields.parse(bytes, into: &fields) } }
    }

    @Test func anObjectsFieldsAreAppendedAfterTheBatchsOthers() throws {
        var fields: [RecordFields.Field] = []
        _ = try parse(#"{"a":1}"#, into: &fields).get()
        let range = try parse(#"{"id":"x","n":[1,2],"b":true}"#, into: &fields).get()
        #expect(range == 1..<4)
        #expect(fields.count == 4)
    }

    @Test func failuresSayWhatIsWrongAndAddNoFields() {
        var fields: [RecordFields.Field] = []
        _ = parse(#"{"a":1}"#, into: &fields)
        for (text, expected) in [
            ("[1,2]", "not an object"), (#""text""#, "not an object"), ("null", "not an object"),
            ("[1,", "not valid JSON"), (#"{"a":"#, "not valid JSON"), (#"{"a":1} x"#, "not valid JSON"), ("", "not valid JSON"),
        ] {
            switch parse(text, into: &fields) {
            case .success: Issue.record("\(text) was read as an object")
            case .failure(let failure): #expect(failure.description.contains(expected), "\(text): \(failure)")
            }
            #expect(fields.count == 1, "\(text) left fields behind")
        }
    }
}
