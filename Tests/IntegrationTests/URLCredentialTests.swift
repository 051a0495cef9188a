import Foundation
import PaystreamMockAPI
import TestSupport
import Testing

/// Credentials written into a URL (`http://user:password@host`) are shown as `***` wherever
/// the fetcher prints that URL: its plan, the log lines of retries, the error that ends a
/// resource.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct URLCredentialTests {
    @Test func aPasswordInTheBaseURLIsNeverPrinted() async throws {
        try await withMockAPI(records: 10) { server, url in
            let password = "pw-\(UUID().uuidString.prefix(8))"
            let pipeline = try PipelineFixture(server: server, baseURL: url.replacingOccurrences(of: "http://", with: "http://admin:\(password)@"))
            let shown = url.replacingOccurrences(of: "http://", with: "http://***@")

            let check = try await ProcessRunner.run(
                ProjectPaths.executable("paystream-fetcher"), ["--config", pipeline.configPath, "--check"],
                environment: ["PAYSTREAM_API_KEY": pipeline.apiKey], timeout: .seconds(60)
            )
            #expect(check.status == 0, "\(check.stderr)")
            #expect(check.stdout.contains("api          \(shown) (auth:"), "\(check.stdout)")

            // Every request fails: each is retried (a warning naming the URL), then the
            // resource fails with an error naming it.
            server.faults = MockFaults(rate: 1, kinds: [.serverError])
            let run = try await pipeline.runFetcher()
            #expect(run.status == 1)
            #expect(run.stderr.contains("http.url=\(shown)/v1/customers"), "\(run.stderr.suffix(3000))")
            #expect(run.stderr.contains("(GET \(shown)/v1/customers"), "\(run.stderr.suffix(3000))")
            for output in [check.stdout, check.stderr, run.stdout, run.stderr] {
                #expect(!output.contains(password), "the password leaked: \(output.suffix(3000))")
            }
        }
    }
}
