import Synchronization

/// Routes requests: `GET /v1/<resource>` lists records in `updated_at` order, filtered by
/// `updated_since` / `updated_before` (RFC 3339 or epoch milliseconds). Every page carries
/// the hints each dlt paginator reads — `has_more`, `total`, `total_pages`, `next_cursor`,
/// `next_url` and an RFC 8288 `Link` header — and pages can be asked for with
/// `offset`, `page` (1-based) or `cursor`, `limit` at most 100.
struct MockAPIRouter: Sendable {
    let dataset: MockDataset
    let auth: MockAuth
    let faults: @Sendable () -> MockFaults
    let onRequest: @Sendable () -> Void
    static let maximumLimit = 100

    func respond(to request: MockRequest) -> MockResponse {
        onRequest()
        if request.path == "/health" { return .json(200, Array(#"{"status":"ok"}"#.utf8)) }
        if request.path == "/oauth/token" {
            return request.method == "POST" ? auth.issueToken(request) : .error(405, type: "invalid_request_error", message: "use POST")
        }
        let parts = request.path.split(separator: "/")
        guard parts.count == 2, parts[0] == "v1", let resource = MockResource(rawValue: String(parts[1])) else {
            return .error(404, type: "invalid_request_error", message: "unknown path \(request.path)")
        }
        guard request.method == "GET" else { return .error(405, type: "invalid_request_error", message: "use GET") }
        guard auth.accepts(request) else { return .error(401, type: "authentication_error", message: "missing or invalid API key") }
        let faults = faults()
        var slow = false
        if faults.rate > 0, !faults.kinds.isEmpty, Double.random(in: 0..<1) < faults.rate {
            let kind = faults.kinds.randomElement()!
            if kind == .slow { slow = true } else { return Self.fault(kind) }
        }
        var response = list(resource, request)
        if slow { response.delivery = .delayed(faults.slowDelay) }
        if response.status == 200, faults.truncateRate > 0, Double.random(in: 0..<1) < faults.truncateRate {
            response.body = Array(response.body.prefix(response.body.count / 2))
        }
        return response
    }

    private static func fault(_ kind: MockFaults.Kind) -> MockResponse {
        switch kind {
        case .tooManyRequests:
            var r = MockResponse.error(429, type: "rate_limit_error", message: "too many requests")
            r.headers.append(("Retry-After", Bool.random() ? "0" : "1"))
            return r
        case .serverError: return .error(500, type: "api_error", message: "internal error")
        case .unavailable: return .error(503, type: "api_error", message: "service unavailable")
        case .dropConnection, .slow: return MockResponse(status: 200, body: [], delivery: .drop)
        }
    }

    private func list(_ resource: MockResource, _ request: MockRequest) -> MockResponse {
        let q = request.query
        guard let limit = Int(q["limit"] ?? q["page_size"] ?? "10"), (1...Self.maximumLimit).contains(limit) else {
            return .error(400, type: "invalid_request_error", message: "limit must be an integer from 1 to \(Self.maximumLimit)")
        }
        let offset: Int
        if let cursor = q["cursor"], !cursor.isEmpty {
            guard cursor.hasPrefix("c"), let o = Int(cursor.dropFirst(), radix: 16) else {
                return .error(400, type: "invalid_request_error", message: "invalid cursor")
            }
            offset = o
        } else if let page = q["page"] {
            guard let p = Int(page), p >= 1 else { return .error(400, type: "invalid_request_error", message: "page starts at 1") }
            offset = (p - 1) * limit
        } else {
            guard let o = Int(q["offset"] ?? "0"), o >= 0 else {
                return .error(400, type: "invalid_request_error", message: "offset must be a non-negative integer")
            }
            offset = o
        }
        let since: Int64?, before: Int64?
        do {
            since = try q["updated_since"].map(Self.timestamp)
            before = try q["updated_before"].map(Self.timestamp)
        } catch {
            return .error(400, type: "invalid_request_error", message: "updated_since/updated_before must be RFC 3339 (2024-01-02T03:04:05.000Z) or epoch milliseconds")
        }
        let (records, total) = dataset.page(resource, offset: offset, limit: limit, since: since, before: before)
        let hasMore = offset + records.count < total
        var nextQuery = q.filter { !["offset", "page", "cursor", "api_key"].contains($0.key) }
        nextQuery["offset"] = String(offset + records.count)
        let nextURL = "/v1/\(resource.rawValue)?" + nextQuery.sorted { $0.key < $1.key }.map { "\($0.key)=\(Self.percentEncode($0.value))" }.joined(separator: "&")

        var json = MockJSONBuilder(capacity: 700 * records.count + 256)
        json.beginObject()
        json.string("object", "list")
        json.string("url", "/v1/\(resource.rawValue)")
        json.beginArray("data")
        for record in records {
            dataset.append(resource, record, to: &json)
        }
        json.endArray()
        json.bool("has_more", hasMore)
        json.int("total", total)
        json.int("total_pages", (total + limit - 1) / limit)
        if hasMore {
            json.string("next_cursor", "c" + String(offset + records.count, radix: 16))
            json.string("next_url", nextURL)
        } else {
            json.null("next_cursor")
            json.null("next_url")
        }
        json.endObject()
        var response = MockResponse.json(200, json.bytes)
        if hasMore { response.headers.append(("Link", "<\(nextURL)>; rel=\"next\"")) }
        return response
    }

    struct BadTimestamp: Error {}

    static func timestamp(_ text: String) throws -> Int64 {
        if let millis = Int64(text) { return millis }
        guard let parsed = MockClock.parse(text) else { throw BadTimestamp() }
        return parsed
    }

    static func percentEncode(_ text: String) -> String {
        var out = ""
        for b in text.utf8 {
            if (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2D || b == 0x2E || b == 0x5F {
                out.unicodeScalars.append(UnicodeScalar(b))
            } else {
                out += "%" + String(format2: b)
            }
        }
        return out
    }
}

extension String {
    fileprivate init(format2 b: UInt8) {
        let hex = Array("0123456789ABCDEF")
        self = String([hex[Int(b >> 4)], hex[Int(b & 0xF)]])
    }
}
