import NIOHTTP1
import PaystreamBasics

/// The parts of an HTTP request the mock API routes on.
struct MockRequest {
    var method: String
    /// The request target as sent: path and query.
    var uri: String
    var path: String
    var query: [String: String]
    var headers: HTTPHeaders
    var body: [UInt8] = []

    init(method: String, uri: String, headers: HTTPHeaders) {
        self.method = method
        self.uri = uri
        self.headers = headers
        let parts = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        path = String(parts[0])
        query = parts.count > 1 ? Self.form(parts[1]) : [:]
    }

    /// `a=1&b=2` (a query string or a form body) as a dictionary; the last of a repeated name wins.
    static func form(_ text: Substring) -> [String: String] {
        Dictionary(PercentCoding.pairs(text), uniquingKeysWith: { _, last in last })
    }
}

/// What the mock API answers.
struct MockResponse {
    enum Delivery {
        case normal
        /// Close the connection without answering.
        case drop
        case delayed(Duration)
        /// Send the head and half the body, then nothing more (the connection stays open).
        case stall
    }

    var status: Int
    var body: [UInt8]
    var headers = HTTPHeaders()
    var delivery = Delivery.normal

    static func json(_ status: Int, _ body: [UInt8]) -> MockResponse {
        MockResponse(status: status, body: body)
    }

    /// An error body. With `echoing`, it repeats the request line as many APIs do (query
    /// string, credentials and all), so clients must not print bodies unredacted.
    static func error(_ status: Int, type: String, message: String, echoing request: MockRequest? = nil) -> MockResponse {
        var json = MockJSONBuilder(capacity: 128)
        json.beginObject()
        json.beginObject("error")
        json.string("type", type)
        json.string("message", message)
        if let request { json.string("request", "\(request.method) \(request.uri)") }
        json.endObject()
        json.endObject()
        return MockResponse(status: status, body: json.bytes)
    }
}
