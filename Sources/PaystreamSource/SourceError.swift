import PaystreamConfig

/// Why a resource could not be read from the API, in words an operator can act on.
/// URLs are always redacted: secrets never reach an error message.
public struct SourceError: Error, CustomStringConvertible, Sendable {
    public var resource: String
    public var method: HTTPMethod
    /// The request URL with secret query parameters replaced by `***`.
    public var url: String
    public var status: Int?
    /// The start of the response body, for diagnosis, with secrets hidden.
    public var bodyExcerpt: String?
    public var reason: String
    public var isRetriable: Bool

    public init(
        resource: String, method: HTTPMethod = .get, url: String, status: Int? = nil, bodyExcerpt: String? = nil,
        reason: String, isRetriable: Bool
    ) {
        self.resource = resource
        self.method = method
        self.url = url
        self.status = status
        self.bodyExcerpt = bodyExcerpt
        self.reason = reason
        self.isRetriable = isRetriable
    }

    public var description: String {
        var text = "resource \(resource): \(reason) (\(method.rawValue) \(url)"
        if let status { text += ", HTTP \(status)" }
        text += ")"
        if let bodyExcerpt, !bodyExcerpt.isEmpty { text += "; body starts: \(bodyExcerpt)" }
        return text
    }
}
