import Metrics
import NIOHTTP1
@testable import PaystreamOperations
import Synchronization
import Testing

final class ProblemBox: Sendable {
    let value = Mutex<String?>(nil)
}

@Suite struct OperationsRoutesTests {
    @Test func servesMetricsLivenessAndReadinessWithReasons() throws {
        let metrics = PrometheusExport()
        Counter(label: "paystream_test_total", dimensions: [("resource", "customers")], factory: metrics.factory).increment(by: 3)
        let readiness = Readiness()
        let kafkaProblem = ProblemBox()
        readiness.add("kafka") { kafkaProblem.value.withLock { $0 } }
        readiness.add("store") { nil }
        let routes = OperationsRoutes(metrics: metrics, readiness: readiness)

        let scrape = routes.respond(method: .GET, path: "/metrics")
        #expect(scrape.status == .ok)
        #expect(scrape.contentType.hasPrefix("text/plain; version=0.0.4"))
        #expect(String(decoding: scrape.body, as: UTF8.self).contains(#"paystream_test_total{resource="customers"} 3"#))

        #expect(routes.respond(method: .GET, path: "/livez").status == .ok)
        #expect(routes.respond(method: .GET, path: "/readyz").status == .ok)
        kafkaProblem.value.withLock { $0 = "cannot reach the Kafka cluster" }
        let unready = routes.respond(method: .GET, path: "/readyz?verbose")
        #expect(unready.status == .serviceUnavailable)
        #expect(String(decoding: unready.body, as: UTF8.self) == "not ready\n- kafka: cannot reach the Kafka cluster\n")
        #expect(routes.respond(method: .GET, path: "/livez").status == .ok, "liveness does not follow the broker")

        #expect(routes.respond(method: .GET, path: "/").status == .notFound)
        #expect(routes.respond(method: .POST, path: "/metrics").status == .methodNotAllowed)
    }

    @Test(arguments: [
        ("127.0.0.1:9464", "127.0.0.1", 9464), (":9464", "0.0.0.0", 9464), ("[::1]:0", "::1", 0), ("localhost:80", "localhost", 80),
    ])
    func parsesListenAddresses(text: String, host: String, port: Int) {
        #expect(HTTPAddress(parsing: text) == HTTPAddress(host: host, port: port))
    }

    @Test(arguments: ["9464", "host:", "host:99999", "::1:9464", "a b:1"])
    func rejectsMalformedAddresses(text: String) {
        #expect(HTTPAddress(parsing: text) == nil)
    }
}
