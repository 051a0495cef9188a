import Foundation
import PaystreamKafka
import PaystreamMockAPI
import TestSupport
import Testing

/// A store is one SQLite file that must hold every partition of its topics, whatever other
/// sinks share its consumer group; and a file has one writer.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct SinkOwnershipTests {
    @Test func twoSinksInOneGroupWithTwoFilesEachBuildACompleteStore() async throws {
        try await withMockAPI(records: 300) { server, url in
            let first = try PipelineFixture(server: server, baseURL: url)
            #expect(try await first.runFetcher().status == 0)
            let second = try PipelineFixture(sharingTopicsOf: first, database: "second", sameGroup: true)
            async let a = first.runSink()
            async let b = second.runSink()
            let (resultA, resultB) = try await (a, b)
            #expect(resultA.status == 0, "\(resultA.stderr.suffix(3000))")
            #expect(resultB.status == 0, "\(resultB.stderr.suffix(3000))")
            try first.expectStoreEqualsAPI()
            try second.expectStoreEqualsAPI()
        }
    }

    /// How a second sink names the first one's file.
    enum OtherName: String, CaseIterable, Sendable {
        case same
        /// A symlink in another folder.
        case symlink
        /// The same folder reached through `..`.
        case dotDot

        func path(to file: String) throws -> String {
            let url = URL(fileURLWithPath: file)
            switch self {
            case .same:
                return file
            case .symlink:
                let folder = FileManager.default.temporaryDirectory.appendingPathComponent(uniqueName("link")).path
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                try FileManager.default.createSymbolicLink(atPath: folder + "/other-name.sqlite", withDestinationPath: file)
                return folder + "/other-name.sqlite"
            case .dotDot:
                let folder = url.deletingLastPathComponent()
                return folder.path + "/../" + folder.lastPathComponent + "/" + url.lastPathComponent
            }
        }
    }

    @Test(arguments: OtherName.allCases)
    func aSecondSinkOnTheSameFileIsRefusedNamingItAndTheFirstKeepsWriting(_ name: OtherName) async throws {
        try await withMockAPI(records: 200) { server, url in
            let pipeline = try PipelineFixture(server: server, baseURL: url)
            #expect(try await pipeline.runFetcher().status == 0)
            let running = try await RunningProcess(ProjectPaths.executable("paystream-sink"), pipeline.sinkArguments,
                                                   environment: ["PAYSTREAM_API_KEY": pipeline.apiKey])
            try await pipeline.waitForRows(1000, while: running)

            var other = try PipelineFixture(sharingTopicsOf: pipeline, database: "unused")
            other.databasePath = try name.path(to: pipeline.databasePath)
            let second = try await other.runSink(timeout: .seconds(60))
            #expect(second.status == 1 && !second.wasSignaled, "\(second.status): \(second.stderr.suffix(3000))")
            #expect(second.stderr.contains("another paystream-sink"), "\(second.stderr.suffix(2000))")
            #expect(second.stderr.contains(pipeline.databasePath), "the error names the real file: \(second.stderr.suffix(2000))")
            #expect(!second.stderr.contains("sink finished"), "the second sink must not have written")

            // The first one still writes: a change made now reaches its store.
            #expect(running.isRunning, "\(running.stderrSoFar.suffix(2000))")
            for resource in PipelineFixture.mockResources { _ = server.dataset.update(resource, index: 5) }
            #expect(try await pipeline.runFetcher().status == 0)
            try await pipeline.waitUntilStoreEqualsAPI(while: running)
            running.signal(SIGTERM)
            let first = try await running.result(timeout: .seconds(30))
            #expect(first.status == 0, "\(first.stderr.suffix(3000))")
        }
    }

    /// The README's rebuild command, run beside the production sink (same default group).
    @Test func aRebuildWhileTheProductionSinkRunsIsComplete() async throws {
        try await withMockAPI(records: 300) { server, url in
            let production = try PipelineFixture(server: server, baseURL: url)
            #expect(try await production.runFetcher().status == 0)
            let running = try await RunningProcess(ProjectPaths.executable("paystream-sink"), production.sinkArguments,
                                             environment: ["PAYSTREAM_API_KEY": production.apiKey])
            try await production.waitForRows(1500, while: running)

            let rebuild = try PipelineFixture(sharingTopicsOf: production, database: "rebuilt", sameGroup: true)
            let rebuilt = try await rebuild.runSink()
            #expect(rebuilt.status == 0, "\(rebuilt.stderr.suffix(3000))")
            try rebuild.expectStoreEqualsAPI()

            // The production sink kept every partition too: a change after the rebuild reaches it.
            for resource in PipelineFixture.mockResources { _ = server.dataset.update(resource, index: 3) }
            #expect(try await production.runFetcher().status == 0)
            try await production.waitUntilStoreEqualsAPI(while: running)
            running.signal(SIGTERM)
            let stopped = try await running.result(timeout: .seconds(30))
            #expect(stopped.status == 0, "\(stopped.stderr.suffix(3000))")
        }
    }

    /// Topics that do not exist when the sink starts are picked up when they appear (the
    /// sink looks for new partitions every 10 seconds).
    @Test func topicsCreatedAfterTheSinkStartedArePickedUp() async throws {
        try await withMockAPI(records: 200) { server, url in
            let pipeline = try PipelineFixture(server: server, baseURL: url)
            let running = try await RunningProcess(ProjectPaths.executable("paystream-sink"), pipeline.sinkArguments,
                                             environment: ["PAYSTREAM_API_KEY": pipeline.apiKey])
            try await Task.sleep(for: .seconds(2))
            #expect(try await pipeline.runFetcher().status == 0)
            try await pipeline.waitUntilStoreEqualsAPI(while: running)
            running.signal(SIGTERM)
            let stopped = try await running.result(timeout: .seconds(30))
            #expect(stopped.status == 0, "\(stopped.stderr.suffix(3000))")
        }
    }

    /// The sink reads only resources, tables and keys: the API's variables may be unset.
    @Test func theSinkStartsWithoutTheAPIsVariables() async throws {
        try await withMockAPI(records: 50) { server, url in
            let pipeline = try PipelineFixture(server: server, baseURL: url)
            #expect(try await pipeline.runFetcher().status == 0)
            var sinkOnly = try PipelineFixture(sharingTopicsOf: pipeline, database: "sink-only")
            sinkOnly.configPath = pipeline.configPath.replacingOccurrences(of: "pipeline.yaml", with: "sink-only.yaml")
            let config = try String(contentsOfFile: pipeline.configPath, encoding: .utf8)
                .replacingOccurrences(of: "base_url: \(url)", with: "base_url: ${PAYSTREAM_TEST_NEVER_SET_URL}")
                .replacingOccurrences(of: "${PAYSTREAM_API_KEY}", with: "${PAYSTREAM_TEST_NEVER_SET_KEY}")
            try config.write(toFile: sinkOnly.configPath, atomically: true, encoding: .utf8)
            let sink = try await ProcessRunner.run(ProjectPaths.executable("paystream-sink"), sinkOnly.sinkArguments + ["--until-caught-up"])
            #expect(sink.status == 0, "\(sink.stderr.suffix(3000))")
            try sinkOnly.expectStoreEqualsAPI()
        }
    }
}
