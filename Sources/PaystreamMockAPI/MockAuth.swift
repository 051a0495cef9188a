import Foundation
import NIOHTTP1
import Synchronization

/// Accepts the API key however a client sends it: `api_key` query parameter, `X-API-Key`
/// header, `api_key` cookie, `Authorization: Bearer <key>`, HTTP basic with the key as
/// password, or an OAuth2 access token issued by `POST /oauth/token` (client credentials:
/// any client id, the key as client secret).
final class MockAuth: Sendable {
    let apiKey: String
    let tokenLifetime: Duration
    private let tokens = Mutex<[String: ContinuousClock.Instant]>([:])

    init(apiKey: String, tokenLifetime: Duration) {
        self.apiKey = apiKey
        self.tokenLifetime = tokenLifetime
    }

    func accepts(_ request: MockRequest) -> Bool {
        if request.query["api_key"] == apiKey || request.headers.first(name: "X-API-Key") == apiKey { return true }
        if let cookie = request.headers.first(name: "Cookie"),
           cookie.split(separator: ";").contains(where: { $0.trimmingCharacters(in: .whitespaces) == "api_key=\(apiKey)" }) {
            return true
        }
        guard let authorization = request.headers.first(name: "Authorization") else { return false }
        if authorization.hasPrefix("Bearer ") {
            let token = String(authorization.dropFirst(7))
            if token == apiKey { return true }
            return tokens.withLock { $0[token].map { ContinuousClock.now < $0 } ?? false }
        }
        if authorization.hasPrefix("Basic "), let decoded = Data(base64Encoded: String(authorization.dropFirst(6))),
           let text = String(data: decoded, encoding: .utf8), let colon = text.firstIndex(of: ":") {
            return String(text[text.index(after: colon)...]) == apiKey
        }
        return false
    }

    /// The key a request presented, as an API echoing it in an error would show it.
    func presentedKey(_ request: MockRequest) -> String? {
        request.query["api_key"] ?? request.headers.first(name: "X-API-Key") ?? request.headers.first(name: "Authorization")
    }

    /// `POST /oauth/token`.
    func issueToken(_ request: MockRequest) -> MockResponse {
        let form = MockRequest.form(Substring(String(decoding: request.body, as: UTF8.self)))
        guard form["grant_type"] == "client_credentials", form["client_secret"] == apiKey else {
            return .error(401, type: "invalid_client", message: "unknown client credentials")
        }
        let token = "tok_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        tokens.withLock { $0[token] = ContinuousClock.now + tokenLifetime }
        var json = MockJSONBuilder(capacity: 128)
        json.beginObject()
        json.string("access_token", token)
        json.string("token_type", "bearer")
        json.int("expires_in", Int(tokenLifetime.components.seconds))
        json.endObject()
        return .json(200, json.bytes)
    }
}
