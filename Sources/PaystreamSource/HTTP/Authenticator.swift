import Foundation
import NIOHTTP1
import PaystreamConfig

/// Adds credentials to requests. Query-string keys are marked secret so that every URL
/// Paystream prints shows them as `***`.
struct Authenticator: Sendable {
    let auth: AuthConfig?
    let tokens: OAuth2TokenCache?

    init(auth: AuthConfig?, tokens: OAuth2TokenCache?) {
        self.auth = auth
        self.tokens = tokens
    }

    var usesTokens: Bool { tokens != nil }

    /// Query parameters that carry a credential.
    var secretQueryNames: Set<String> {
        if case .apiKey(let name, _, .query)? = auth { return [name] }
        return []
    }

    /// Every configured credential, in the forms a server could echo.
    var secrets: [String] {
        switch auth {
        case nil: []
        case .apiKey(let name, let key, _)?: [key.value, "\(name)=\(key.value)"]
        case .bearer(let token)?: [token.value]
        case .httpBasic(let user, let password)?: [password.value, Data("\(user):\(password.value)".utf8).base64EncodedString()]
        case .oauth2ClientCredentials(_, let id, let secret, _, _)?: [id.value, secret.value]
        }
    }

    func invalidateToken() async {
        await tokens?.invalidate()
    }

    func apply(to request: inout RESTRequest) async throws {
        switch auth {
        case nil: return
        case .apiKey(let name, let key, let location)?:
            switch location {
            case .query:
                request.secretQueryNames.insert(name)
                request.setQuery(name, key.value)
            case .header: request.headers.add(name: name, value: key.value)
            case .cookie: request.headers.add(name: "Cookie", value: "\(name)=\(key.value)")
            }
        case .bearer(let token)?:
            request.headers.add(name: "Authorization", value: "Bearer \(token.value)")
        case .httpBasic(let user, let password)?:
            let encoded = Data("\(user):\(password.value)".utf8).base64EncodedString()
            request.headers.add(name: "Authorization", value: "Basic \(encoded)")
        case .oauth2ClientCredentials?:
            guard let tokens else { return }
            request.headers.add(name: "Authorization", value: "Bearer \(try await tokens.token())")
        }
    }
}
