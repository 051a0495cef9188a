import Foundation
import TestSupport
import Testing

#if os(Linux)
/// Command support is split so that the mock API, which needs no Kafka, does not link
/// librdkafka; the three Kafka commands do. Read from the built executables with `ldd`.
@Suite struct LinkageTests {
    @Test(arguments: [("paystream-mock-api", false), ("paystream-fetcher", true), ("paystream-sink", true), ("paystream-status", true)])
    func onlyTheKafkaCommandsLinkLibrdkafka(command: String, linksLibrdkafka: Bool) async throws {
        let ldd = try await ProcessRunner.run("/usr/bin/ldd", [ProjectPaths.executable(command)], timeout: .seconds(60))
        #expect(ldd.status == 0, "\(ldd.stderr)")
        #expect(ldd.stdout.contains("librdkafka") == linksLibrdkafka, "\(ldd.stdout)")
    }
}
#endif
