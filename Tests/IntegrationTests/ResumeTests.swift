import Foundation
import PaystreamConfig
import PaystreamSource
import TestSupport
import Testing

/// A reader can stop after any page and another resume from the position it handed on
/// (what a fetcher group checkpoints), with every paginator: no record lost or repeated.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct ResumeTests {
    struct Stop: Error {}

    @Test(arguments: [
        "paginator: {type: offset, limit: 50}",
        "params: {limit: 50}, paginator: {type: page_number, base_page: 1, total_path: total_pages}",
        "params: {limit: 50}, paginator: {type: cursor, cursor_path: next_cursor, cursor_param: cursor}",
        "params: {limit: 50}, paginator: {type: json_link, next_url_path: next_url}",
        "params: {limit: 50}, paginator: {type: header_link}",
    ])
    func aReadResumesFromTheLastPositionItHandedOn(paginator: String) async throws {
        try await withMockAPI(records: 230) { server, url in
            let config = try ReaderFixture.config(client: PaginatorAndAuthTests.apiKeyAuth, endpoint: paginator, baseURL: url)
            let client = RESTClient()
            let reader = try ResourceReader(pipeline: config, resource: config.resources[0], client: client, logger: ReaderFixture.logger)
            func ids(_ page: Page) -> [String] { page.records.map { String(decoding: $0.key, as: UTF8.self) } }

            var first: [String] = []
            var saved: ListingPosition?
            do {
                try await reader.read { page, position in
                    first += ids(page)
                    saved = position
                    if first.count >= 100 { throw Stop() }
                }
            } catch is Stop {}
            // A checkpoint stores the position as JSON; it holds no credential.
            let stored = try JSONEncoder().encode(saved)
            #expect(!String(decoding: stored, as: UTF8.self).contains("test-key-9f3c"))
            var rest: [String] = []
            try await reader.read(from: try JSONDecoder().decode(ListingPosition.self, from: stored)) { page, _ in rest += ids(page) }
            try await client.shutdown()
            #expect(first.count >= 100 && !rest.isEmpty)
            #expect((first + rest).count == 230, "\((first + rest).count - Set(first + rest).count) repeated")
            #expect(Set(first + rest) == Set(ReaderFixture.current(server).keys))
        }
    }
}
