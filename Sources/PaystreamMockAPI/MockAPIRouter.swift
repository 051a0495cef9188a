/// Routes a request to the data set: `/v1/<resource>` lists with offset pagination.
struct MockAPIRouter: Sendable {
    let dataset: MockDataset
    let apiKey: String
    static let maximumLimit = 100

    func respond(to request: MockRequest) -> MockResponse {
        guard request.method == "GET" else {
            return .error(405, type: "invalid_request_error", message: "only GET is supported")
        }
        if request.path == "/health" { return .json(200, Array(#"{"status":"ok"}"#.utf8)) }
        let parts = request.path.split(separator: "/")
        guard parts.count == 2, parts[0] == "v1", let resource = MockResource(rawValue: String(parts[1])) else {
            return .error(404, type: "invalid_request_error", message: "unknown path \(request.path)")
        }
        guard request.query["api_key"] == apiKey else {
            return .error(401, type: "authentication_error", message: "missing or invalid API key")
        }
        return list(resource, request)
    }

    private func list(_ resource: MockResource, _ request: MockRequest) -> MockResponse {
        guard let limit = Int(request.query["limit"] ?? "10"), (1...Self.maximumLimit).contains(limit) else {
            return .error(400, type: "invalid_request_error", message: "limit must be an integer from 1 to \(Self.maximumLimit)")
        }
        guard let offset = Int(request.query["offset"] ?? "0"), offset >= 0 else {
            return .error(400, type: "invalid_request_error", message: "offset must be a non-negative integer")
        }
        let (records, total) = dataset.page(resource, offset: offset, limit: limit)
        var json = MockJSONBuilder(capacity: 700 * records.count + 128)
        json.beginObject()
        json.string("object", "list")
        json.string("url", "/v1/\(resource.rawValue)")
        json.beginArray("data")
        for record in records {
            dataset.renderer.render(resource, index: record.index, version: record.version, updatedAt: record.updatedAt, into: &json)
        }
        json.endArray()
        json.bool("has_more", offset + records.count < total)
        json.int("total", total)
        json.endObject()
        return .json(200, json.bytes)
    }
}
