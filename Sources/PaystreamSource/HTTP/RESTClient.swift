import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import PaystreamConfig
import Synchronization

/// One HTTP response, body fully read.
public struct RESTResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// The URL that answered (after redirects), redacted.
    public var url = ""
}

/// HTTP transport with the one retry loop: backoff with jitter on the configured status
/// codes, connection errors and timeouts (`Retry-After` honoured); a fresh OAuth2 token
/// once after a 401; redirects followed within the request's origin only. Each attempt has
/// one deadline for the response head and the whole body.
public final class RESTClient: Sendable {
    private let http: HTTPClient
    static let maximumBodyBytes = 256 * 1024 * 1024
    static let maximumRedirects = 5

    public init(maximumConnectionsPerHost: Int = 16) {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: maximumConnectionsPerHost)
        // The client would follow redirects to any host with every header (the API key
        // included); `send` follows them itself, within the origin.
        configuration.redirectConfiguration = .disallow
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    public func shutdown() async throws {
        try await http.shutdown()
    }

    /// What an exchange needs besides the request.
    struct Exchange: Sendable {
        var policy: RetryPolicy
        var resource: String
        var authenticator: Authenticator?
        var redactor: Redactor
        var logger: Logger
    }

    /// Sends `request` with credentials, retrying per the policy. Throws a `SourceError`
    /// naming the resource once a failure cannot or may no longer be retried.
    func send(_ request: RESTRequest, _ exchange: Exchange) async throws -> RESTResponse {
        let policy = exchange.policy
        var target = request
        var attempt = 0
        var redirects = 0
        var refreshedToken = false
        while true {
            try Task.checkCancellation()
            var authed = target
            try await exchange.authenticator?.apply(to: &authed)
            var retryAfter: String?
            let failure: SourceError
            do {
                let response = try await sendOnce(authed, timeout: policy.config.requestTimeout)
                switch response.status {
                case 200..<300:
                    var response = response
                    response.url = authed.redactedURL
                    return response
                case 301, 302, 303, 307, 308:
                    redirects += 1
                    target = try redirect(target, response, count: redirects, shownAs: authed.redactedURL, exchange)
                    continue
                case 401 where exchange.authenticator?.usesTokens == true && !refreshedToken:
                    // An OAuth2 token can be revoked or expire in flight: fetch a new one, once.
                    refreshedToken = true
                    await exchange.authenticator?.invalidateToken()
                    continue
                default:
                    retryAfter = response.headers.first(name: "Retry-After")
                    failure = SourceError(
                        resource: exchange.resource, method: target.method, url: authed.redactedURL, status: response.status,
                        bodyExcerpt: exchange.redactor.including(credentialsOf: authed).excerpt(response.body),
                        reason: Self.explain(status: response.status),
                        isRetriable: policy.shouldRetry(status: response.status)
                    )
                }
            } catch let error as CancellationError {
                throw error
            } catch let error as SourceError {
                throw error
            } catch {
                failure = SourceError(
                    resource: exchange.resource, method: target.method, url: authed.redactedURL,
                    reason: "request failed: \(exchange.redactor.redact(Self.describe(error)))", isRetriable: true
                )
            }
            guard failure.isRetriable, attempt < policy.config.maximumRetries else {
                var final = failure
                if attempt > 0 { final.reason += " (gave up after \(attempt + 1) attempts)" }
                throw final
            }
            attempt += 1
            SourceMetrics.retry(resource: exchange.resource, status: failure.status.map(String.init) ?? "connection")
            let wait = policy.delay(attempt: attempt, retryAfter: retryAfter)
            let what = failure.status.map { "HTTP \($0)" } ?? failure.reason
            exchange.logger.warning(
                "\(what), retry \(attempt)/\(policy.config.maximumRetries) in \(String(format: "%.2f", wait)) s",
                metadata: ["http.url": "\(authed.redactedURL)"]
            )
            try await Task.sleep(for: .seconds(wait))
        }
    }

    /// The request a redirect leads to, if it stays within the origin; credentials are never
    /// sent anywhere else, so a redirect away from it fails the resource.
    private func redirect(_ request: RESTRequest, _ response: RESTResponse, count: Int, shownAs url: String, _ exchange: Exchange) throws -> RESTRequest {
        func failure(_ reason: String) -> SourceError {
            SourceError(resource: exchange.resource, method: request.method, url: url, status: response.status,
                        reason: reason, isRetriable: false)
        }
        guard let location = response.headers.first(name: "Location") else { throw failure("a redirect without a Location header") }
        guard count <= Self.maximumRedirects else { throw failure("more than \(Self.maximumRedirects) redirects in a row") }
        var next = request
        next.follow(location)
        guard let from = request.origin, let to = next.origin, from == to else {
            let target = next.origin.map { "\($0)" } ?? "an address that is not an http(s) URL"
            throw failure("the API redirected to another origin (\(target)); Paystream sends credentials only to \(request.origin.map { "\($0)" } ?? "the API's origin") and does not follow it: point base_url at the API's final address")
        }
        // As browsers and RFC 9110 do: 303 (and 301/302 after a POST) become a GET without body.
        if response.status == 303 || (request.method == .post && [301, 302].contains(response.status)) {
            next.method = .get
            next.body = nil
            next.headers.remove(name: "Content-Type")
        }
        return next
    }

    /// One attempt, head and body within `timeout` seconds: a server that sends the head and
    /// then stalls times out like one that never answers. The deadline is an event-loop timer
    /// (cheap to set and to cancel) that cancels the exchange.
    private func sendOnce(_ request: RESTRequest, timeout: Double) async throws -> RESTResponse {
        let exchange = Task { try await self.exchange(request) }
        let expired = Expiry()
        let timer = http.eventLoopGroup.any().scheduleTask(in: .milliseconds(Int64(timeout * 1000))) {
            expired.fired.store(true, ordering: .relaxed)
            exchange.cancel()
        }
        defer { timer.cancel() }
        do {
            return try await withTaskCancellationHandler { try await exchange.value } onCancel: { exchange.cancel() }
        } catch where expired.fired.load(ordering: .relaxed) {
            throw RequestTimeout(seconds: timeout)
        }
    }

    private func exchange(_ request: RESTRequest) async throws -> RESTResponse {
        var r = HTTPClientRequest(url: request.url)
        r.method = NIOHTTP1.HTTPMethod(rawValue: request.method.rawValue)
        r.headers = request.headers
        if let body = request.body { r.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await http.execute(r, timeout: .hours(1))
        let body = try await response.body.collect(upTo: Self.maximumBodyBytes)
        return RESTResponse(
            status: Int(response.status.code), headers: response.headers,
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
        if let e = error as? RequestTimeout { return "\(e)" }
        return String(describing: type(of: error)) + ": \(error)"
    }
}

private final class Expiry: Sendable {
    let fired = Atomic<Bool>(false)
}

/// No complete response (head and body) within `request_timeout`.
struct RequestTimeout: Error, CustomStringConvertible {
    var seconds: Double
    var description: String { "no complete response within \(seconds) s (request_timeout)" }
}
