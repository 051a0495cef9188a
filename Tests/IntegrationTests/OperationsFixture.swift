import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TestSupport
import Testing

/// Talking to a running service's operations listener: where it listens (from its JSON
/// log), HTTP GETs, and samples from its Prometheus text.
enum OperationsFixture {
    /// The `http.address` the service logged at start (run it with `--http-address
    /// 127.0.0.1:0 --log-format json`).
    static func listeningAddress(of process: RunningProcess, timeout: Duration = .seconds(60)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            for line in process.stderrSoFar.split(separator: "\n") {
                if let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                   let address = object["http.address"] as? String {
                    return address
                }
            }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestFailure("no http.address in the log; stderr:\n\(process.stderrSoFar.suffix(3000))")
    }

    /// `waitFor` on a service that a supervisor may start again meanwhile, on another port:
    /// asks at the address it announced last.
    static func waitFor(
        _ process: some ObservedProcess, _ path: String, timeout: Duration = .seconds(90), what: String,
        _ condition: (_ status: Int, _ body: String) -> Bool
    ) async throws -> (status: Int, body: String) {
        let deadline = ContinuousClock.now + timeout
        var last: (status: Int, body: String) = (0, "")
        while ContinuousClock.now < deadline {
            // Asking a supervised process whether it runs is what starts it again.
            if process.isRunning, let address = lastAddress(in: process.stderrSoFar), let answer = try? await get(address, path) {
                last = answer
                if condition(answer.status, answer.body) { return answer }
            }
            try await Task.sleep(for: .milliseconds(250))
        }
        throw TestFailure("timed out waiting for \(what); last answer from \(path): \(last.status) \(last.body.prefix(2000)); process: \(process.exit ?? "running")")
    }

    private static func lastAddress(in log: String) -> String? {
        for line in log.split(separator: "\n").reversed() {
            if let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
               let address = object["http.address"] as? String {
                return address
            }
        }
        return nil
    }

    static func get(_ address: String, _ path: String) async throws -> (status: Int, body: String) {
        var request = URLRequest(url: URL(string: "http://\(address)\(path)")!)
        request.timeoutInterval = 10
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    /// Polls `path` until `condition` holds for its answer; returns that answer.
    static func waitFor(
        _ address: String, _ path: String, timeout: Duration = .seconds(90), what: String,
        _ condition: (_ status: Int, _ body: String) -> Bool
    ) async throws -> (status: Int, body: String) {
        let deadline = ContinuousClock.now + timeout
        var last: (status: Int, body: String) = (0, "")
        while ContinuousClock.now < deadline {
            if let answer = try? await get(address, path) {
                last = answer
                if condition(answer.status, answer.body) { return answer }
            }
            try await Task.sleep(for: .milliseconds(250))
        }
        throw TestFailure("timed out waiting for \(what); last answer from \(path): \(last.status) \(last.body.prefix(2000))")
    }

    /// Every sample of `name` in Prometheus text, keyed by its label set rendered as
    /// `a=x,b=y` (sorted), e.g. `["resource=customers": 250]`.
    static func samples(_ name: String, in text: String) -> [String: Double] {
        var result: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard line.hasPrefix(name + "{") || line.hasPrefix(name + " ") else { continue }
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            var labels: [String] = []
            if let open = line.firstIndex(of: "{"), let close = line.lastIndex(of: "}") {
                for pair in line[line.index(after: open)..<close].split(separator: ",") {
                    let parts = pair.split(separator: "=", maxSplits: 1)
                    labels.append("\(parts[0])=\(parts.count > 1 ? parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")) : "")")
                }
            }
            result[labels.sorted().joined(separator: ","), default: 0] += value
        }
        return result
    }
}
