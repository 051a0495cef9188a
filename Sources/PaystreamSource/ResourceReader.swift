import Logging
import NIOHTTP1
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
    private let staticHeaders: HTTPHeaders
    private let secretValues: Set<String>
    private let apiOrigin: Origin?
    private let parser: PageParser
    private let exchange: RESTClient.Exchange
    /// Tells record versions apart in messages already published, as the reader does on pages.
    public let recordIdentifier: RecordIdentifier

    public init(pipeline: PipelineConfig, resource: ResourceConfig, client: RESTClient, logger: Logger) throws {
        self.resource = resource
        baseURL = pipeline.client.baseURL
        paginatorConfig = pipeline.paginator(for: resource)
        self.client = client
        var logger = logger
        logger[metadataKey: "paystream.resource"] = "\(resource.name)"
        let policy = RetryPolicy(config: resource.endpoint.errorHandler)
        let tokens = OAuth2TokenCache(auth: pipeline.client.auth, client: client, policy: policy, logger: logger)
        authenticator = Authenticator(auth: pipeline.client.auth, tokens: tokens)
        staticHeaders = HTTPHeaders(pipeline.client.headers.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        // Substituted values may be secrets (the base URL's host is not one worth hiding).
        secretValues = Set(pipeline.substitutedValues.map(\.value)).subtracting([pipeline.client.baseURL])
        apiOrigin = Origin(url: pipeline.client.baseURL)
        let cursorPath = try resource.endpoint.incremental.map { try JSONPath(parsing: $0.cursorPath) }
        let versionPath: JSONPath? = switch resource.versionField {
        case .automatic: cursorPath ?? JSONPath(components: ["updated_at"])
        case .path(let path): try JSONPath(parsing: path)
        case .none: nil
        }
        recordIdentifier = RecordIdentifier(versionPath: versionPath)
        parser = PageParser(
            dataSelector: try resource.endpoint.dataSelector.map { try JSONPath(parsing: $0) },
            primaryKey: try resource.primaryKey.map { try JSONPath(parsing: $0) },
            cursorPath: cursorPath, versionPath: versionPath,
            signalPaths: try PaginatorFactory.signalPaths(paginatorConfig)
        )
        exchange = RESTClient.Exchange(
            policy: policy, resource: resource.name, authenticator: authenticator,
            redactor: Redactor(secrets: authenticator.secrets + secretValues + URLCredentials.secrets(in: baseURL)), logger: logger
        )
    }

    /// Pages requested at once for paginators that allow it (offset).
    public var pageConcurrency = 4

    /// Reads the listing from `position` (nil: its beginning) and hands each page's new
    /// records to `handle`, in listing order, with the position after that page. Pass
    /// `incremental` for a resource with an incremental cursor: its window's values go to
    /// `start_param`, `end_param` and dlt's `{incremental.…}` placeholders.
    @discardableResult
    public func read(
        from position: ListingPosition? = nil, incremental: IncrementalRequestValues? = nil,
        handle: (Page, ListingPosition) async throws -> Void
    ) async throws -> ListingSummary {
        let base = try firstRequest(incremental ?? IncrementalRequestValues())
        let source = PaginatorFactory.source(paginatorConfig, base: base, concurrency: max(1, pageConcurrency), resource: resource.name) {
            [self] request in try await fetchAndParse(request)
        }
        let summary = try await source.read(from: position, handle)
        if summary.rereads > 0 {
            exchange.logger.info("the listing moved during the sync; asked for \(summary.rereads) page(s) again to keep every record")
        }
        return summary
    }

    /// The first page's request: path, params and json with the window's values in them.
    private func firstRequest(_ window: IncrementalRequestValues) throws -> RESTRequest {
        let endpoint = resource.endpoint
        let path = try window.expand(endpoint.path, in: "the path", of: resource.name)
        var request = RESTRequest(method: endpoint.method, url: String.joinURL(baseURL, path))
        request.secretValues = secretValues
        request.secretQueryNames = authenticator.secretQueryNames
        var params = endpoint.params.compactMapValues(window.expandParameter)
        if let incremental = endpoint.incremental {
            if let name = incremental.startParam, let start = window.start { params[name] = start.text }
            if let name = incremental.endParam, let end = window.end { params[name] = end.text }
        }
        for (name, value) in params.sorted(by: { $0.key < $1.key }) { request.setQuery(name, value) }
        if let json = endpoint.json {
            request.body = Array(try JSONConfigEncoder.encode(json, window: window, resource: resource.name).utf8)
            request.headers.add(name: "Content-Type", value: "application/json")
        }
        return request
    }

    /// One request with authentication, retries and parsing; a page that cannot be used
    /// fails the resource with the redacted URL, status and the (redacted) start of the body.
    private func fetchAndParse(_ request: RESTRequest) async throws -> FetchedPage {
        try Task.checkCancellation()
        // Credentials go to the API's own origin only, never to a host a link points at.
        guard let origin = request.origin, origin == apiOrigin else {
            throw SourceError(resource: resource.name, method: request.method, url: request.redactedURL,
                              reason: "a next-page link leads away from \(apiOrigin.map { "\($0)" } ?? URLCredentials.redacting(baseURL)); refusing to send credentials there",
                              isRetriable: false)
        }
        var withHeaders = request
        withHeaders.headers.add(contentsOf: staticHeaders)
        let response = try await client.send(withHeaders, exchange)
        do {
            let parsed = try parser.parse(response.body)
            let page = Page(body: response.body, records: parsed.records, url: response.url)
            return FetchedPage(page: page, signals: parsed.signals, headers: response.headers, request: request)
        } catch let failure as PageParser.Failure {
            throw SourceError(
                resource: resource.name, method: request.method, url: response.url, status: response.status,
                bodyExcerpt: exchange.redactor.excerpt(response.body), reason: Self.explain(failure), isRetriable: false
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
