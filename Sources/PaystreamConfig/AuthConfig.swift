/// How requests authenticate, as dlt's `client.auth` writes it.
public enum AuthConfig: Sendable, Equatable {
    public enum Location: String, Sendable { case query, header, cookie }

    case apiKey(name: String, key: Secret, location: Location)
    case bearer(token: Secret)
    case httpBasic(username: String, password: Secret)
    case oauth2ClientCredentials(tokenURL: String, clientID: Secret, clientSecret: Secret, scopes: [String], defaultTokenExpiration: Int)

    init(_ value: ConfigValue, at path: String) throws(ConfigError) {
        var r = try ConfigReader(value, at: path)
        let type = try r.string("type") ?? "bearer"
        switch type {
        case "api_key":
            let location = try r.string("location") ?? "header"
            guard let loc = Location(rawValue: location) else {
                throw ConfigError(at: r.child("location"), "expected query, header or cookie, found '\(location)'")
            }
            self = .apiKey(name: try r.string("name") ?? "Authorization", key: Secret(try r.requiredString("api_key")), location: loc)
        case "bearer":
            self = .bearer(token: Secret(try r.requiredString("token")))
        case "http_basic":
            self = .httpBasic(username: try r.requiredString("username"), password: Secret(try r.string("password") ?? ""))
        case "oauth2_client_credentials":
            let scopes: [String]
            switch r.value("scopes") {
            case .string(let s): scopes = s.split(separator: " ").map(String.init)
            case .array(let items): scopes = items.compactMap(\.scalarText)
            default: scopes = []
            }
            self = .oauth2ClientCredentials(
                tokenURL: try r.requiredString("access_token_url"),
                clientID: Secret(try r.requiredString("client_id")),
                clientSecret: Secret(try r.requiredString("client_secret")),
                scopes: scopes,
                defaultTokenExpiration: try r.int("default_token_expiration") ?? 3600
            )
        default:
            throw ConfigError(at: r.child("type"), "unknown auth type '\(type)' (known: api_key, bearer, http_basic, oauth2_client_credentials)")
        }
        try r.finish()
    }
}
