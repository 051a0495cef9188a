import Foundation

/// A request being built: absolute URL without query, query items in order, headers.
/// `secretQueryNames` lists the parameters `redactedURL` hides.
public struct RESTRequest: Sendable {
    public var method: String
    public var baseURL: String
    public var query: [(name: String, value: String)]
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]?
    var secretQueryNames: Set<String> = []
    /// Values that came from `${NAME}` substitution: any query value holding one is
    /// printed as `***` too.
    var secretValues: Set<String> = []

    public init(method: String = "GET", url: String) {
        self.method = method
        let parts = url.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        baseURL = String(parts[0])
        query = parts.count > 1 ? Self.parseQuery(parts[1]) : []
        headers = []
    }

    /// Sets (or replaces) a query parameter.
    public mutating func setQuery(_ name: String, _ value: String) {
        query.removeAll { $0.name == name }
        query.append((name, value))
    }

    public func queryValue(_ name: String) -> String? { query.first { $0.name == name }?.value }

    /// Moves to a next-page link (absolute, absolute-path or relative, RFC 3986 style),
    /// keeping headers and secret settings.
    mutating func follow(_ link: String) {
        var next = RESTRequest(method: method, url: resolve(link))
        next.headers = headers
        next.secretQueryNames = secretQueryNames
        next.secretValues = secretValues
        self = next
    }

    /// `link` resolved against this request's URL.
    func resolve(_ link: String) -> String {
        if link.hasPrefix("http://") || link.hasPrefix("https://") { return link }
        if link.hasPrefix("/") { return origin + link }
        if link.hasPrefix("?") { return baseURL + link }
        let directory = baseURL.hasSuffix("/") ? baseURL : String(baseURL[..<(baseURL.lastIndex(of: "/").map { baseURL.index(after: $0) } ?? baseURL.endIndex)])
        return directory + link
    }

    public var url: String { render(redacting: false) }

    /// Scheme, host and port, for resolving relative links.
    var origin: String {
        guard let schemeEnd = baseURL.range(of: "://") else { return baseURL }
        let rest = baseURL[schemeEnd.upperBound...]
        let hostEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        return String(baseURL[..<hostEnd])
    }

    /// The URL as it may be printed: secret parameters shown as `***`.
    public var redactedURL: String { render(redacting: true) }

    private func render(redacting: Bool) -> String {
        guard !query.isEmpty else { return baseURL }
        let items = query.map { item in
            let secret = secretQueryNames.contains(item.name) || secretValues.contains { !$0.isEmpty && item.value.contains($0) }
            let value = redacting && secret ? "***" : Self.percentEncode(item.value)
            return Self.percentEncode(item.name) + "=" + value
        }
        return baseURL + "?" + items.joined(separator: "&")
    }

    static func parseQuery(_ text: Substring) -> [(name: String, value: String)] {
        text.split(separator: "&").map { pair in
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (percentDecode(kv[0]), kv.count > 1 ? percentDecode(kv[1]) : "")
        }
    }

    static func percentEncode(_ text: String) -> String {
        var out = ""
        for b in text.utf8 {
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(UnicodeScalar(b))
            default:
                out += "%" + (b < 16 ? "0" : "") + String(b, radix: 16, uppercase: true)
            }
        }
        return out
    }

    static func percentDecode(_ text: Substring) -> String {
        var out: [UInt8] = []
        var bytes = Array(text.utf8)[...]
        while let b = bytes.popFirst() {
            if b == UInt8(ascii: "%"), bytes.count >= 2, let v = UInt8(String(decoding: bytes.prefix(2), as: UTF8.self), radix: 16) {
                out.append(v)
                bytes = bytes.dropFirst(2)
            } else {
                out.append(b == UInt8(ascii: "+") ? UInt8(ascii: " ") : b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
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
