import Foundation
import NIOHTTP1
import PaystreamBasics
import PaystreamConfig

/// A request being built: where it goes (scheme, authority, path), its query, headers and
/// body. A query taken from a server's link is kept byte for byte (`verbatimQuery`): a
/// signed link must not be re-encoded. Parameters Paystream sets are percent-encoded and
/// follow it. `secretQueryNames` and `secretValues` say what `redactedURL` hides, besides
/// credentials in the URL itself (`user:password@`, see `URLCredentials`).
public struct RESTRequest: Sendable {
    public var method: PaystreamConfig.HTTPMethod
    /// Scheme, authority and path, without query or fragment.
    public var location: String
    /// A query string as a server wrote it in a link (without `?`), sent unchanged.
    var verbatimQuery: String?
    /// Parameters Paystream sets, in order.
    public var query: [(name: String, value: String)] = []
    public var headers = HTTPHeaders()
    public var body: [UInt8]?
    /// Query parameters that are credentials (the API key's name).
    var secretQueryNames: Set<String> = []
    /// Values that came from `${NAME}` substitution: any query value holding one is
    /// printed as `***` too.
    var secretValues: Set<String> = []

    /// A request to `url` as written in the config: its query is parsed into `query`.
    public init(method: PaystreamConfig.HTTPMethod = .get, url: String) {
        self.method = method
        let (location, query) = Self.split(url)
        self.location = location
        self.query = query.map(PercentCoding.pairs) ?? []
    }

    /// Sets (or replaces) a query parameter, also where a link's query already had it.
    public mutating func setQuery(_ name: String, _ value: String) {
        query.removeAll { $0.name == name }
        if let verbatim = verbatimQuery {
            let kept = verbatim.split(separator: "&", omittingEmptySubsequences: false).filter { Self.name(of: $0) != name }
            verbatimQuery = kept.isEmpty ? nil : kept.joined(separator: "&")
        }
        query.append((name, value))
    }

    /// Moves to a next-page link, resolved against this request's URL by RFC 3986 (as
    /// Foundation's `URL` applies it: `./`, `../`, `//host`, `?query`), its query kept as
    /// written; headers and secret settings stay.
    mutating func follow(_ link: String) {
        let (location, query) = Self.split(resolve(link))
        self.location = location
        verbatimQuery = query.map(String.init)
        self.query = []
    }

    /// `link` resolved against this request's URL.
    func resolve(_ link: String) -> String {
        guard let base = URL(string: url), let resolved = URL(string: link, relativeTo: base) else { return link }
        return resolved.absoluteString
    }

    /// `link` resolved, with credential parameters (`secretQueryNames`) taken out of its
    /// query, so that it can be stored; they are added again when it is requested.
    func resolvingWithoutSecrets(_ link: String) -> String {
        var request = self
        request.follow(link)
        guard let verbatim = request.verbatimQuery, !secretQueryNames.isEmpty else { return request.url }
        let kept = verbatim.split(separator: "&", omittingEmptySubsequences: false).filter { !secretQueryNames.contains(Self.name(of: $0)) }
        request.verbatimQuery = kept.isEmpty ? nil : kept.joined(separator: "&")
        return request.url
    }

    public var url: String { render(redacting: false) }

    /// The URL as it may be printed: userinfo and secret parameters shown as `***`. Every
    /// URL of a request that Paystream prints (errors, logs, redirects, next-page links) is
    /// this one.
    public var redactedURL: String { render(redacting: true) }

    var origin: Origin? { Origin(url: location) }

    private func render(redacting: Bool) -> String {
        var items: [String] = []
        if let verbatimQuery {
            items += verbatimQuery.split(separator: "&", omittingEmptySubsequences: false).map { pair in
                guard redacting, isSecret(Self.name(of: pair), PercentCoding.pairs(pair).first?.value ?? "") else { return String(pair) }
                return String(pair.prefix { $0 != "=" }) + "=***"
            }
        }
        items += query.map { item in
            let value = redacting && isSecret(item.name, item.value) ? "***" : PercentCoding.encode(item.value)
            return PercentCoding.encode(item.name) + "=" + value
        }
        let shown = redacting ? URLCredentials.redacting(location) : location
        return items.isEmpty ? shown : shown + "?" + items.joined(separator: "&")
    }

    private func isSecret(_ name: String, _ value: String) -> Bool {
        secretQueryNames.contains(name) || secretValues.contains { !$0.isEmpty && value.contains($0) }
    }

    /// `url` split into what precedes the query and the query (fragment dropped).
    private static func split(_ url: String) -> (String, Substring?) {
        let withoutFragment = url.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
        let parts = withoutFragment.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        return (String(parts[0]), parts.count > 1 ? parts[1] : nil)
    }

    private static func name(of pair: Substring) -> String {
        PercentCoding.decode(pair.prefix { $0 != "=" })
    }
}

/// Scheme, host and port: where credentials may be sent.
struct Origin: Equatable, CustomStringConvertible {
    var scheme: String
    var host: String
    var port: Int

    init?(url: String) {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              let host = components.host?.lowercased(), !host.isEmpty else { return nil }
        self.scheme = scheme
        self.host = host
        port = components.port ?? (scheme == "https" ? 443 : 80)
    }

    var description: String { "\(scheme)://\(host):\(port)" }
}

extension String {
    /// `base` and `path` joined with exactly one slash; an absolute `path` wins.
    static func joinURL(_ base: String, _ path: String) -> String {
        if path.hasPrefix("http://") || path.hasPrefix("https://") { return path }
        let b = base.hasSuffix("/") ? String(base.dropLast()) : base
        let p = path.hasPrefix("/") ? path : "/" + path
        return b + p
    }
}
