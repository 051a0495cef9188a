import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import PaystreamConfig

/// One HTTP response, body fully read.
public struct RESTResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// HTTP transport with retries: backoff with jitter on the configured status codes,
/// connection errors and timeouts; `Retry-After` honoured.
public final class RESTClient: Sendable {
    private let http: HTTPClient
    static let maximumBodyBytes = 256 * 1024 * 1024

    public init(maximumConnectionsPerHost: Int = 16) {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: maximumConnectionsPerHost)
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    public func shutdown() async throws {
        try await http.shutdown()
    }

    /// Sends `request`, retrying per `policy`. Throws a `SourceError` naming `resource`
    /// once a failure cannot or may no longer be retried.
    func send(_ request: RESTRequest, policy: RetryPolicy, resource: String, logger: Logger) async throws -> RESTResponse {
        var attempt = 0
        while true {
            var failure: SourceError
            do {
                let response = try await sendOnce(request, timeout: policy.config.requestTimeout)
                if (200..<300).contains(response.status) { return response }
                failure = SourceError(
                    resource: resource, method: request.method, url: request.redactedURL, status: response.status,
                    bodyExcerpt: SourceError.excerpt(response.body), reason: Self.explain(status: response.status),
                    isRetriable: policy.shouldRetry(status: response.status)
                )
                if failure.isRetriable, attempt < policy.config.maxRetries {
                    attempt += 1
                    let wait = policy.delay(attempt: attempt, retryAfter: response.header("Retry-After"))
                    logger.warning("HTTP \(response.status), retry \(attempt)/\(policy.config.maxRetries) in \(Self.format(wait)) s", metadata: ["http.url": "\(request.redactedURL)"])
                    SourceMetrics.retry(resource: resource, status: String(response.status))
                    try await Task.sleep(for: .seconds(wait))
                    continue
                }
            } catch let error as CancellationError {
                throw error
            } catch {
                failure = SourceError(resource: resource, method: request.method, url: request.redactedURL, reason: "request failed: \(Self.describe(error))", isRetriable: true)
                if attempt < policy.config.maxRetries {
                    attempt += 1
                    let wait = policy.delay(attempt: attempt, retryAfter: nil)
                    logger.warning("\(failure.reason), retry \(attempt)/\(policy.config.maxRetries) in \(Self.format(wait)) s", metadata: ["http.url": "\(request.redactedURL)"])
                    SourceMetrics.retry(resource: resource, status: "connection")
                    try await Task.sleep(for: .seconds(wait))
                    continue
                }
            }
            var final = failure
            if attempt > 0 { final.reason += " (gave up after \(attempt + 1) attempts)" }
            throw final
        }
    }

    private func sendOnce(_ request: RESTRequest, timeout: Double) async throws -> RESTResponse {
        var r = HTTPClientRequest(url: request.url)
        r.method = HTTPMethod(rawValue: request.method)
        for (name, value) in request.headers { r.headers.add(name: name, value: value) }
        if let body = request.body { r.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await http.execute(r, timeout: .milliseconds(Int64(timeout * 1000)))
        let body = try await response.body.collect(upTo: Self.maximumBodyBytes)
        return RESTResponse(
            status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
            body: Array(body.readableBytesView)
        )
    }

    private static func explain(status: Int) -> String {
        switch status {
        case 401: "the API rejected the credentials (401): check that the API key is set and has not expired"
        case 403: "the API refused access (403): check the key's permissions"
        case 404: "the endpoint does not exist (404): check base_url and the endpoint path"
        case 429: "the API kept rate-limiting (429)"
        case 500...: "the API failed (HTTP \(status))"
        default: "unexpected HTTP status \(status)"
        }
    }

    /// Transport errors name what happened without echoing URLs.
    private static func describe(_ error: any Error) -> String {
        if let e = error as? HTTPClientError { return "\(e)" }
        return String(describing: type(of: error)) + ": \(error)"
    }

    private static func format(_ seconds: Double) -> String { String(format: "%.2f", seconds) }
}
