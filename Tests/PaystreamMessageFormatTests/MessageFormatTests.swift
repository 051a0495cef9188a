import PaystreamMessageFormat
import Testing

/// The one definition of topic names, header names and keys that fetcher, sink and tests share.
@Suite struct MessageFormatTests {
    @Test func topicsAreNamedFromThePrefix() {
        let topics = MessageTopics(prefix: "paystream")
        #expect(topics.records("customers") == "paystream.customers")
        #expect(topics.state == "paystream._paystream_state")
        #expect(topics.work("customers") == "paystream._paystream_work.customers")
        #expect(topics.deadLetter == "paystream.dead-letter")
        #expect(MessageTopics(prefix: "").records("customers") == "customers")
    }

    @Test func compoundKeysAreAJSONArrayOfTheValuesAsWritten() {
        let key = MessageKey.compound([Array(#""in_1""#.utf8), Array("2".utf8)])
        #expect(String(decoding: key, as: UTF8.self) == #"["in_1",2]"#)
    }
}
