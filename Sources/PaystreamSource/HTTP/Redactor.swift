import Foundation
import NIOHTTP1
import PaystreamBasics

/// Hides secrets in text Paystream prints, such as the start of a response body: an API
/// that echoes the request (or the key it rejected) must not put the key in a log line.
/// Each secret is hidden as written, percent-encoded and form-encoded.
struct Redactor: Sendable {
    private let forms: [String]
    /// Shorter values are not treated as secrets: hiding them would garble every message.
    static let shortest = 4

    init(secrets: some Sequence<String>) {
        var forms: Set<String> = []
        for secret in secrets where secret.count >= Self.shortest {
            forms.insert(secret)
            let encoded = PercentCoding.encode(secret)
            forms.insert(encoded)
            forms.insert(encoded.replacingOccurrences(of: "%20", with: "+"))
        }
        // Longest first, so a secret containing another is hidden whole.
        self.forms = forms.sorted { $0.count > $1.count }
    }

    /// This redactor, also hiding the credentials `request` carries (an OAuth2 token is not
    /// known before it is fetched, but an API may echo it).
    func including(credentialsOf request: RESTRequest) -> Redactor {
        let credentialHeaders: Set<String> = ["authorization", "proxy-authorization", "cookie"]
        var secrets = forms
        for (name, value) in request.headers where credentialHeaders.contains(name.lowercased()) {
            secrets.append(value)
            if let token = value.split(separator: " ").last { secrets.append(String(token)) }
        }
        secrets += request.query.filter { request.secretQueryNames.contains($0.name) }.map(\.value)
        return Redactor(secrets: secrets)
    }

    func redact(_ text: String) -> String {
        guard !forms.isEmpty else { return text }
        var text = text
        for form in forms where text.contains(form) {
            text = text.replacingOccurrences(of: form, with: "***")
        }
        return text
    }

    /// The start of a body, redacted, for an error message.
    func excerpt(_ body: [UInt8], limit: Int = 200) -> String {
        // Redact the whole body's start before cutting, so a secret across the cut is hidden too.
        let text = redact(String(decoding: body.prefix(limit + 256), as: UTF8.self))
        return text.count > limit || body.count > limit + 256 ? String(text.prefix(limit)) + "…" : text
    }
}
