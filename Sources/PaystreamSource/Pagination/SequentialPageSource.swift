/// Reads a listing one page at a time with a `Paginator`.
struct SequentialPageSource: PageSource {
    let paginator: any Paginator
    let base: RESTRequest
    let resource: String
    let fetch: PageFetch
    /// Positions remembered to detect an API that sends the reader round in a circle.
    static let remembered = 64

    func read(from start: ListingPosition?, _ handle: (Page, ListingPosition) async throws -> Void) async throws -> ListingSummary {
        var summary = ListingSummary()
        var position = start
        var recent: [ListingPosition] = []
        while position != .finished {
            let fetched = try await fetch(paginator.request(at: position, from: base))
            summary.requests += 1
            let next = paginator.position(after: fetched, at: position)
            if next != .finished, next == position || recent.contains(next) {
                throw PaginationLoopError(resource: resource, position: next)
            }
            if let position {
                recent.append(position)
                if recent.count > Self.remembered { recent.removeFirst() }
            }
            summary.pages += 1
            try await handle(fetched.page, next)
            position = next
        }
        return summary
    }
}

/// The API pointed back at a page already read: following it would never end.
struct PaginationLoopError: Error, CustomStringConvertible {
    var resource: String
    var position: ListingPosition

    var description: String {
        let what = switch position {
        case .pageNumber(let page, _): "page \(page)"
        case .cursor(let cursor): "cursor \(cursor)"
        default: "next-page link"
        }
        return "resource \(resource): the API's \(what) points at a page already read; stopping rather than reading in a circle"
    }
}
