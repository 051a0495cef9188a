import Foundation
import TestSupport

/// Prometheus's own checker of the text exposition format (`promtool check metrics`), from
/// Debian's prometheus package (`ops/setup` puts it in `.cache/tools`; `ops/test` passes it
/// as `PAYSTREAM_PROMTOOL`).
enum Promtool {
    static func path() throws -> String {
        if let path = ProcessInfo.processInfo.environment["PAYSTREAM_PROMTOOL"] { return path }
        let tools = ProjectPaths.root.appendingPathComponent(".cache/tools")
        let found = (try? FileManager.default.contentsOfDirectory(atPath: tools.path))?.filter { $0.hasPrefix("promtool-") }.sorted().last
        guard let found else { throw TestFailure("no promtool in \(tools.path): run ops/setup") }
        return tools.appendingPathComponent(found).appendingPathComponent("promtool").path
    }

    /// What promtool says about `metrics` (status 0: no problem found).
    static func check(_ metrics: String) async throws -> ProcessResult {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(uniqueName("metrics") + ".txt").path
        try metrics.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        return try await ProcessRunner.run("/bin/sh", ["-c", #""$0" check metrics < "$1""#, try path(), file], timeout: .seconds(60))
    }
}
