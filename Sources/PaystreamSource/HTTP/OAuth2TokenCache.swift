import Foundation
import Logging
import NIOHTTP1
import PaystreamBasics
import PaystreamConfig
import PaystreamJSON

/// Fetches an OAuth2 client-credentials token, caches it, and fetches a new one shortly
/// before it expires (or after the API rejected it). One cache per resource reader.
actor OAuth2TokenCache {
    private let tokenURL: String
    private let clientID: Secret
    private let clientSecret: Secret
    private let scopes: [String]
    private let defaultExpiration: Double
    private let client: RESTClient
    private let policy: RetryPolicy
    private let logger: Logger
    private var cached: (token: String, expires: ContinuousClock.Instant)?
    /// Refresh this long before the token's stated expiry: a quarter of its lifetime, at
    /// most a minute, so requests in flight never carry an expired token.
    private static func refreshMargin(_ lifetime: Double) -> Double { min(60, lifetime / 4) }

    func invalidate() {
        cached = nil
    }

    /// Nil unless `auth` is `oauth2_client_credentials`.
    init?(auth: AuthConfig?, client: RESTClient, policy: RetryPolicy, logger: Logger) {
        guard case .oauth2ClientCredentials(let url, let id, let secret, let scopes, let expiration)? = auth else { return nil }
        tokenURL = url
        clientID = id
        clientSecret = secret
        self.scopes = scopes
        defaultExpiration = Double(expiration)
        self.client = client
        self.policy = policy
        self.logger = logger
    }

    func token() async throws -> String {
        if let cached, ContinuousClock.now < cached.expires { return cached.token }
        var request = RESTRequest(method: .post, url: tokenURL)
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        var form = "grant_type=client_credentials&client_id=\(PercentCoding.encode(clientID.value))&client_secret=\(PercentCoding.encode(clientSecret.value))"
        if !scopes.isEmpty { form += "&scope=" + PercentCoding.encode(scopes.joined(separator: " ")) }
        request.body = Array(form.utf8)
        let exchange = RESTClient.Exchange(
            policy: policy, resource: "oauth2 token", authenticator: nil,
            redactor: Redactor(secrets: [clientID.value, clientSecret.value] + URLCredentials.secrets(in: tokenURL)), logger: logger
        )
        let response = try await client.send(request, exchange)
        let (token, expiresIn) = try response.body.withUnsafeBytes { bytes in
            var reader = JSONReader(bytes)
            let found = try reader.lookup([JSONPath(components: ["access_token"]), JSONPath(components: ["expires_in"])])
            try reader.expectEnd()
            return (found[0]?.scalarText(in: bytes), found[1]?.scalarText(in: bytes).flatMap(Double.init))
        }
        guard let token, !token.isEmpty else {
            throw SourceError(resource: "oauth2 token", method: .post, url: request.redactedURL, status: response.status,
                              reason: "the token response has no access_token", isRetriable: false)
        }
        let stated = expiresIn ?? defaultExpiration
        let lifetime = max(0.1, stated - Self.refreshMargin(stated))
        cached = (token, ContinuousClock.now + .seconds(lifetime))
        logger.info("fetched an OAuth2 access token valid for \(Int(expiresIn ?? defaultExpiration)) s")
        return token
    }
}
