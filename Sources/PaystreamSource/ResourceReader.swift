import Logging
import PaystreamConfig
import PaystreamJSON

/// Reads one resource's listing page by page, in order, with the configured paginator,
/// authentication and retry policy.
public struct ResourceReader: Sendable {
    public let resource: ResourceConfig
    private let baseURL: String
    private let paginatorConfig: PaginatorConfig
    private let client: RESTClient
    private let authenticator: Authenticator
    private let staticHeaders: [String: String]
    private let secretValues: Set<String>
    private let apiOrigin: String
    private let parser: PageParser
    private let policy: RetryPolicy
    private let logger: Logger

    public init(pipeline: PipelineConfig, resource: ResourceConfig, client: RESTClient, logger: Logger) throws {
        self.resource = resource
        baseURL = pipeline.client.baseURL
        paginatorConfig = pipeline.paginator(for: resource)
        self.client = client
        policy = RetryPolicy(config: resource.endpoint.errorHandler)
        let tokens: OAuth2TokenCache? = switch pipeline.client.auth {
        case .oauth2ClientCredentials?: OAuth2TokenCache(auth: pipeline.client.auth!, client: client, policy: policy, logger: logger)
        default: nil
        }
        authenticator = Authenticator(auth: pipeline.client.auth, tokens: tokens)
        staticHeaders = pipeline.client.headers
        secretValues = Set(pipeline.substitutedValues.map(\.value)).subtracting([pipeline.client.baseURL])
        apiOrigin = RESTRequest(url: pipeline.client.baseURL).origin
        parser = PageParser(
            dataSelector: try resource.endpoint.dataSelector.map { try JSONPath(parsing: $0) },
            primaryKey: try resource.primaryKey.map { try JSONPath(parsing: $0) },
            cursorPath: try resource.endpoint.incremental.map { try JSONPath(parsing: $0.cursorPath) },
            paginatorPaths: try PaginatorFactory.bodyPaths(paginatorConfig)
        )
        var logger = logger
        logger[metadataKey: "paystream.resource"] = "\(resource.name)"
        self.logger = logger
    }

    /// Pages requested at once for paginators that allow it (offset).
    public var pageConcurrency = 4

    /// Fetches every page and hands each to `handle`, in listing order, each record once.
    /// `extraParams` are added to every request (e.g. an incremental window).
    /// Returns the number of pages read.
    @discardableResult
    public func read(extraParams: [String: String] = [:], handle: (Page) async throws -> Void) async throws -> Int {
        var request = RESTRequest(method: resource.endpoint.method, url: String.joinURL(baseURL, resource.endpoint.path))
        // Substituted values may be secrets (the base URL's host is not one worth hiding).
        request.secretValues = secretValues
        for (name, value) in resource.endpoint.params.merging(extraParams, uniquingKeysWith: { _, extra in extra }).sorted(by: { $0.key < $1.key }) {
            request.setQuery(name, value)
        }
        if let json = resource.endpoint.json {
            request.body = Array(JSONConfigEncoder.encode(json).utf8)
            request.headers.append(("Content-Type", "application/json"))
        }
        if case .offset(let config) = paginatorConfig {
            return try await readOffsetPages(config, request, handle)
        }
        return try await readSequentially(request, handle)
    }

    private func readOffsetPages(_ config: PaginatorConfig.Offset, _ base: RESTRequest, _ handle: (Page) async throws -> Void) async throws -> Int {
        var pages = 0
        let walker = OffsetWalker(config: config, concurrency: max(1, pageConcurrency)) { offset in
            var request = base
            request.setQuery(config.offsetParam, String(offset))
            request.setQuery(config.limitParam, String(config.limit))
            let (response, parsed, url) = try await fetchAndParse(request)
            let page = Page(body: response.body, records: parsed.records, url: url)
            return FetchedPage(
                page: page,
                identities: parsed.records.map { RecordIdentity(key: $0.key, body: response.body[$0.range]) },
                hasMore: PageSignal.bool(parsed.paginatorValues[0]),
                total: parsed.paginatorValues[1].flatMap { Int($0) },
                paginatorValues: parsed.paginatorValues, headers: response.headers
            )
        }
        let stepBacks = try await walker.walk { fetched, firstNew in
            pages += 1
            var page = fetched.page
            if firstNew > 0 { page.records.removeFirst(firstNew) }
            try await handle(page)
        }
        if stepBacks > 0 {
            logger.info("the listing moved during the sync; re-read \(stepBacks) page(s) to keep every record")
        }
        return pages
    }

    private func readSequentially(_ first: RESTRequest, _ handle: (Page) async throws -> Void) async throws -> Int {
        var paginator = try PaginatorFactory.make(paginatorConfig)
        var request = first
        paginator.prepareFirst(&request)
        var pages = 0
        while true {
            let (response, parsed, url) = try await fetchAndParse(request)
            pages += 1
            try await handle(Page(body: response.body, records: parsed.records, url: url))
            let info = PageInfo(recordCount: parsed.records.count, bodyValues: parsed.paginatorValues, headers: response.headers)
            guard paginator.advance(&request, after: info) else { return pages }
        }
    }

    /// One request with authentication, retries and parsing; a page that cannot be used
    /// fails the resource with the redacted URL, status and the start of the body.
    private func fetchAndParse(_ request: RESTRequest) async throws -> (RESTResponse, PageParser.Parsed, String) {
        try Task.checkCancellation()
        // Credentials go to the API's own origin only, never to a host a link points at.
        guard request.origin == apiOrigin else {
            throw SourceError(resource: resource.name, method: request.method, url: request.redactedURL,
                              reason: "a next-page link leads away from \(apiOrigin); refusing to send credentials there", isRetriable: false)
        }
        var authed = request
        for (name, value) in staticHeaders.sorted(by: { $0.key < $1.key }) { authed.headers.append((name, value)) }
        try await authenticator.apply(to: &authed)
        var response: RESTResponse
        do {
            response = try await client.send(authed, policy: policy, resource: resource.name, logger: logger)
        } catch let error as SourceError where error.status == 401 && authenticator.usesTokens {
            // An OAuth2 token can be revoked or expire in flight: fetch a new one, once.
            await authenticator.invalidateToken()
            authed = request
            for (name, value) in staticHeaders.sorted(by: { $0.key < $1.key }) { authed.headers.append((name, value)) }
            try await authenticator.apply(to: &authed)
            response = try await client.send(authed, policy: policy, resource: resource.name, logger: logger)
        }
        do {
            return (response, try parser.parse(response.body), authed.redactedURL)
        } catch let failure as PageParser.Failure {
            throw SourceError(
                resource: resource.name, method: authed.method, url: authed.redactedURL, status: response.status,
                bodyExcerpt: SourceError.excerpt(response.body), reason: Self.explain(failure), isRetriable: false
            )
        }
    }

    private static func explain(_ failure: PageParser.Failure) -> String {
        switch failure {
        case .invalidJSON(let e): "the response is not valid JSON (\(e)); it may have been truncated"
        case .noRecordList(let why): why
        case .recordWithoutKey(let index, let field): "record \(index) of the page has no primary key '\(field)'"
        }
    }
}

/// Renders a config value as JSON (for `endpoint.json` request bodies).
enum JSONConfigEncoder {
    static func encode(_ value: ConfigValue) -> String {
        switch value {
        case .string(let s): JSONWriter.quoted(s)
        case .int(let i): String(i)
        case .double(let d): String(d)
        case .bool(let b): b ? "true" : "false"
        case .null: "null"
        case .array(let items): "[" + items.map(encode).joined(separator: ",") + "]"
        case .object(let map): "{" + map.sorted { $0.key < $1.key }.map { JSONWriter.quoted($0.key) + ":" + encode($0.value) }.joined(separator: ",") + "}"
        }
    }
}
