import PaystreamConfig
import PaystreamJSON

/// `?offset=N&limit=L`, as dlt's `OffsetPaginator`. Offset listings are walked by
/// `OffsetWalker` (overlapping pages, anchors, prefetch); this names the body values it reads.
enum OffsetPaginator {
    /// `has_more_path` and `total_path`, in that order (an unused slot never matches).
    static func bodyPaths(_ config: PaginatorConfig.Offset) throws -> [JSONPath] {
        [try config.hasMorePath.map { try JSONPath(parsing: $0) }, try config.totalPath.map { try JSONPath(parsing: $0) }]
            .map { $0 ?? JSONPath(components: ["\u{0}unused"]) }
    }
}
