/// The parts of an HTTP request the mock API routes on.
struct MockRequest {
    var method: String
    var path: String
    var query: [String: String]
    var headers: [(String, String)]

    init(method: String, uri: String, headers: [(String, String)]) {
        self.method = method
        self.headers = headers
        let parts = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        path = String(parts[0])
        var query: [String: String] = [:]
        if parts.count > 1 {
            for pair in parts[1].split(separator: "&") {
                let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                query[Self.percentDecode(kv[0])] = kv.count > 1 ? Self.percentDecode(kv[1]) : ""
            }
        }
        self.query = query
    }

    func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    static func percentDecode(_ text: Substring) -> String {
        var out: [UInt8] = []
        var bytes = Array(text.utf8)[...]
        while let b = bytes.popFirst() {
            if b == UInt8(ascii: "+") {
                out.append(UInt8(ascii: " "))
            } else if b == UInt8(ascii: "%"), bytes.count >= 2,
                      let v = UInt8(String(decoding: bytes.prefix(2), as: UTF8.self), radix: 16) {
                out.append(v)
                bytes = bytes.dropFirst(2)
            } else {
                out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// What the mock API answers.
struct MockResponse {
    var status: Int
    var body: [UInt8]
    var headers: [(String, String)] = []

    static func json(_ status: Int, _ body: [UInt8]) -> MockResponse {
        MockResponse(status: status, body: body)
    }

    static func error(_ status: Int, type: String, message: String) -> MockResponse {
        var json = MockJSONBuilder(capacity: 128)
        json.beginObject()
        json.beginObject("error")
        json.string("type", type)
        json.string("message", message)
        json.endObject()
        json.endObject()
        return MockResponse(status: status, body: json.bytes)
    }
}
