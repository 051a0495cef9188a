import PaystreamConfig
import PaystreamJSON

/// `?page=N`, as dlt's `PageNumberPaginator`; `total_path` gives the number of pages.
struct PageNumberPaginator: Paginator {
    let config: PaginatorConfig.PageNumber
    let bodyPaths: [JSONPath]
    private var page: Int
    /// Records on the first page: a later page with fewer is the last.
    private var fullPageSize: Int?

    init(_ config: PaginatorConfig.PageNumber) throws {
        self.config = config
        page = config.page ?? config.basePage
        bodyPaths = [try config.hasMorePath.map { try JSONPath(parsing: $0) }, try config.totalPath.map { try JSONPath(parsing: $0) }]
            .map { $0 ?? JSONPath(components: ["\u{0}unused"]) }
    }

    func prepareFirst(_ request: inout RESTRequest) {
        request.setQuery(config.pageParam, String(page))
    }

    mutating func advance(_ request: inout RESTRequest, after info: PageInfo) -> Bool {
        page += 1
        if fullPageSize == nil { fullPageSize = info.recordCount }
        if let max = config.maximumPage, page > max { return false }
        if let hasMore = PageSignal.bool(info.bodyValues[0]) {
            guard hasMore else { return false }
        } else if let totalPages = info.bodyValues[1].flatMap({ Int($0) }) {
            guard page - config.basePage < totalPages else { return false }
        } else if info.recordCount == 0 {
            if config.stopAfterEmptyPage { return false }
        } else if let full = fullPageSize, info.recordCount < full {
            return false
        }
        request.setQuery(config.pageParam, String(page))
        return true
    }
}
