import Foundation
import PaystreamMockAPI
import TestSupport
import Testing

/// A process that crashes says so in one line of its log, in the log's format, and still
/// ends by the signal (so a supervisor sees a crash, and the system keeps a core dump).
@Suite(.serialized, .timeLimit(.minutes(2)))
struct CrashReportTests {
    @Test func aCrashIsOneJSONLineInJSONLogsAndTheProcessEndsByTheSignal() async throws {
        let api = try await RunningProcess(
            ProjectPaths.executable("paystream-mock-api"), ["--port", "0", "--api-key", "k", "--log-format", "json"]
        )
        try await Self.waitFor("listening", in: api)
        api.signal(SIGSEGV)
        let result = await api.exited()
        #expect(result.wasSignaled && result.status == SIGSEGV, "status \(result.status)")
        let last = try #require(result.stderr.split(separator: "\n").last)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any], "\(last)")
        #expect(object["level"] as? String == "critical")
        #expect(object["logger"] as? String == "paystream-mock-api")
        #expect(object["signal"] as? String == "SIGSEGV")
        #expect((object["message"] as? String)?.hasPrefix("fatal signal SIGSEGV (crash") == true, "\(last)")
        #expect((object["ts"] as? String)?.hasSuffix("Z") == true, "\(last)")
    }

    /// librdkafka blocks every signal in its own threads; unless they unblock the crash
    /// signals, a fault there (the issue's SIGSEGV in its metadata cache) ends the process
    /// without the line. A SIGSEGV sent to librdkafka's main thread stands for such a fault.
    @Test func aCrashOnALibrdkafkaThreadIsReportedToo() async throws {
        try await withMockAPI(records: 10) { server, url in
            let pipeline = try PipelineFixture(server: server, baseURL: url)
            let sink = try await RunningProcess(ProjectPaths.executable("paystream-sink"), pipeline.sinkArguments)
            try await Self.waitFor("reading", in: sink)
            let thread = try #require(Self.thread(named: "rdk:main", of: sink.pid), "no librdkafka main thread in \(sink.pid)")
            #expect(Self.sendSignal(SIGSEGV, toThread: thread, of: sink.pid) == 0)
            let result = try await sink.result(timeout: .seconds(30))
            #expect(result.wasSignaled && result.status == SIGSEGV, "status \(result.status)")
            let last = result.stderr.split(separator: "\n").last.map(String.init) ?? ""
            #expect(last.contains("critical paystream-sink: fatal signal SIGSEGV (crash"), "\(result.stderr.suffix(2000))")
        }
    }

    private static func waitFor(_ text: String, in process: RunningProcess) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while !process.stderrSoFar.contains(text) && !process.stdoutSoFar.contains(text) {
            guard process.isRunning, ContinuousClock.now < deadline else {
                throw TestFailure("no '\(text)' from the process (\(process.exit ?? "running")):\n\(process.stderrSoFar.suffix(3000))")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// The id of the thread of `pid` named `name` (librdkafka names its threads `rdk:…`).
    private static func thread(named name: String, of pid: Int32) -> Int32? {
        let tasks = "/proc/\(pid)/task"
        let ids = (try? FileManager.default.contentsOfDirectory(atPath: tasks)) ?? []
        return ids.compactMap { id -> Int32? in
            let comm = (try? String(contentsOfFile: "\(tasks)/\(id)/comm", encoding: .utf8)) ?? ""
            return comm.trimmingCharacters(in: .whitespacesAndNewlines) == name ? Int32(id) : nil
        }.first
    }

    /// tgkill(2), through glibc's wrapper (Swift cannot call the variadic `syscall`).
    private static func sendSignal(_ signal: Int32, toThread thread: Int32, of pid: Int32) -> Int32 {
        typealias TGKill = @convention(c) (Int32, Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "tgkill") else { return -1 }
        return unsafeBitCast(symbol, to: TGKill.self)(pid, thread, signal)
    }
}
