import PaystreamConfig
import PaystreamJSON

/// `?offset=N&limit=L`, as dlt's `OffsetPaginator`.
struct OffsetPaginator: Paginator {
    let config: PaginatorConfig.Offset
    let bodyPaths: [JSONPath]
    private(set) var offset: Int

    init(_ config: PaginatorConfig.Offset) throws {
        self.config = config
        offset = config.offset
        bodyPaths = [try config.hasMorePath.map { try JSONPath(parsing: $0) }, try config.totalPath.map { try JSONPath(parsing: $0) }]
            .map { $0 ?? JSONPath(components: ["\u{0}unused"]) }
    }

    func prepareFirst(_ request: inout RESTRequest) {
        request.setQuery(config.offsetParam, String(offset))
        request.setQuery(config.limitParam, String(config.limit))
    }

    mutating func advance(_ request: inout RESTRequest, after page: PageInfo) -> Bool {
        offset += config.limit
        if let max = config.maximumOffset, offset >= max { return false }
        if let hasMore = PageSignal.bool(page.bodyValues[0]) {
            guard hasMore else { return false }
        } else if let total = page.bodyValues[1].flatMap({ Int($0) }) {
            guard offset < total else { return false }
        } else if page.recordCount < config.limit {
            // A short page (or an empty one) ends the listing when the API gives no count.
            if page.recordCount > 0 || config.stopAfterEmptyPage { return false }
        }
        request.setQuery(config.offsetParam, String(offset))
        return true
    }
}
