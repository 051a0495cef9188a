import PaystreamBasics
import NIOHTTP1
import Synchronization

/// Routes requests: `GET /v1/<resource>` lists records in `updated_at` order, filtered by
/// `updated_since` / `updated_before` (in the cursor format's syntax). Every page carries
/// the hints each dlt paginator reads — `has_more`, `total`, `total_pages`, `next_cursor`,
/// `next_url` and an RFC 8288 `Link` header — and pages can be asked for with
/// `offset`, `page` (1-based) or `cursor`, `limit` at most 100 (or any, capped, with
/// `pageSizeCap`). `/moved/<path>` answers `301` to `/<path>` on the same origin.
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
        if request.path.hasPrefix("/moved/") {
            var moved = MockResponse(status: 301, body: [])
            moved.headers.add(name: "Location", value: String(request.uri.dropFirst("/moved".count)))
            return moved
        }
        let parts = request.path.split(separator: "/")
        guard parts.count == 2, parts[0] == "v1", let resource = MockResource(rawValue: String(parts[1])) else {
            return .error(404, type: "invalid_request_error", message: "unknown path \(request.path)", echoing: request)
        }
        guard request.method == "GET" else { return .error(405, type: "invalid_request_error", message: "use GET") }
        if let origin = dataset.options.redirectTo {
            var redirect = MockResponse(status: 307, body: [])
            redirect.headers.add(name: "Location", value: origin + request.uri)
            return redirect
        }
        guard auth.accepts(request) else {
            return .error(401, type: "authentication_error", message: "invalid API key provided: \(auth.presentedKey(request) ?? "none")", echoing: request)
        }
        let faults = faults()
        var slow = false
        if faults.rate > 0, !faults.kinds.isEmpty, faults.resources?.contains(resource) ?? true, Double.random(in: 0..<1) < faults.rate {
            switch faults.kinds.randomElement()! {
            case .slow: slow = true
            case .stall:
                var stalled = list(resource, request)
                stalled.delivery = .stall
                return stalled
            case let kind: return Self.fault(kind)
            }
        }
        var response = list(resource, request)
        if slow || faults.latency > .zero { response.delivery = .delayed((slow ? faults.slowDelay : .zero) + faults.latency) }
        if response.status == 200, faults.truncateRate > 0, Double.random(in: 0..<1) < faults.truncateRate {
            response.body = Array(response.body.prefix(response.body.count / 2))
        }
        return response
    }

    private static func fault(_ kind: MockFaults.Kind) -> MockResponse {
        switch kind {
        case .tooManyRequests:
            var r = MockResponse.error(429, type: "rate_limit_error", message: "too many requests")
            r.headers.add(name: "Retry-After", value: Bool.random() ? "0" : "1")
            return r
        case .serverError: return .error(500, type: "api_error", message: "internal error")
        case .unavailable: return .error(503, type: "api_error", message: "service unavailable")
        case .dropConnection, .slow, .stall: return MockResponse(status: 200, body: [], delivery: .drop)
        }
    }

    private func list(_ resource: MockResource, _ request: MockRequest) -> MockResponse {
        let q = request.query
        let options = dataset.options
        let largest = options.pageSizeCap == nil ? Self.maximumLimit : 10_000
        guard let asked = Int(q["limit"] ?? q["page_size"] ?? "10"), (1...largest).contains(asked) else {
            return .error(400, type: "invalid_request_error", message: "limit must be an integer from 1 to \(largest)", echoing: request)
        }
        let limit = min(asked, options.pageSizeCap ?? asked)
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
        let format = options.cursorFormat
        var bounds: [MockDataset.Bound?] = []
        for name in ["updated_since", "updated_before"] {
            guard let text = q[name] else {
                bounds.append(nil)
                continue
            }
            guard let bound = format.bound(text) else {
                return .error(400, type: "invalid_request_error", message: "\(name) must be \(format.filterSyntax)", echoing: request)
            }
            bounds.append(bound)
        }
        let (records, total) = dataset.page(resource, offset: offset, limit: limit, since: bounds[0], before: bounds[1])
        let hasMore = offset + records.count < total
        var nextQuery = q.filter { !["offset", "page", "cursor", "api_key"].contains($0.key) }
        nextQuery["offset"] = String(offset + records.count)
        let nextURL = "/v1/\(resource.rawValue)?" + nextQuery.sorted { $0.key < $1.key }.map { "\($0.key)=\(PercentCoding.encode($0.value))" }.joined(separator: "&")

        var json = MockJSONBuilder(capacity: 700 * records.count + 256)
        json.beginObject()
        json.string("object", "list")
        json.string("url", "/v1/\(resource.rawValue)")
        json.beginArray("data")
        let servedAt = options.volatileField == nil ? nil : MockClock.format(MockClock.nowMillis()) + "/" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
        for record in records {
            dataset.append(resource, record, servedAt: servedAt, to: &json)
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
        if hasMore { response.headers.add(name: "Link", value: "<\(nextURL)>; rel=\"next\"") }
        return response
    }
}
