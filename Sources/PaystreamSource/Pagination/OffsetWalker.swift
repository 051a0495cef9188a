import PaystreamConfig

/// Offset pagination that does not lose records when the listing moves under it.
///
/// Plain offset paging skips records whenever records before the current offset leave
/// their place (an API listing by `updated_at` moves every updated record to the end, and
/// a filtered window loses it): everything behind shifts down and a page boundary jumps
/// over it. The walker requests pages that overlap the previous one by `overlap` records
/// and only accepts records after the last one it already accepted (its "anchor"). When no
/// anchor is on the page the listing shifted further than the overlap: it steps back until
/// it finds one. Records that moved to the end are met again there, with their new version.
///
/// Once a page told the listing's total, up to `concurrency` pages below it are fetched
/// ahead and parsed in parallel (never past the total: no request is wasted); they are
/// handed on strictly in listing order.
struct OffsetWalker {
    let config: PaginatorConfig.Offset
    let concurrency: Int
    let fetch: @Sendable (_ offset: Int) async throws -> FetchedPage

    var overlap: Int { config.limit > 1 ? max(1, config.limit / 10) : 0 }
    var step: Int { config.limit - overlap }

    /// Calls `handle` with each page and the index of its first new record.
    /// Returns how many pages were requested again after a shift was detected.
    func walk(_ handle: (FetchedPage, _ firstNew: Int) async throws -> Void) async throws -> Int {
        var anchors = AnchorSet(capacity: max(config.limit, 100))
        var offset = config.offset
        var knownTotal: Int?
        var inFlight: [Int: Task<FetchedPage, any Error>] = [:]
        defer { inFlight.values.forEach { $0.cancel() } }
        var stepBacks = 0

        while true {
            // Keep `concurrency` requests in flight below a known total; without one, one.
            for k in 0..<(knownTotal == nil ? 1 : concurrency) {
                let o = offset + k * step
                if let total = knownTotal, o >= total, k > 0 { break }
                if let max = config.maximumOffset, o >= max, k > 0 { break }
                if inFlight[o] == nil { inFlight[o] = Task { [fetch] in try await fetch(o) } }
            }
            let page = try await inFlight.removeValue(forKey: offset)!.value
            for stale in inFlight.keys where stale < offset { inFlight.removeValue(forKey: stale)?.cancel() }
            knownTotal = page.total ?? knownTotal

            var firstNew = 0
            // With `limit: 1` pages cannot overlap: plain offset paging.
            if overlap > 0, !anchors.isEmpty, offset > config.offset {
                if let last = page.identities.lastIndex(where: anchors.contains) {
                    firstNew = last + 1
                } else {
                    // Shifted by more than the overlap: step back (the start of the listing
                    // always holds an anchor or, if every anchor moved, nothing unseen).
                    stepBacks += 1
                    inFlight.values.forEach { $0.cancel() }
                    inFlight = [:]
                    offset = max(config.offset, offset - step)
                    continue
                }
            }
            try await handle(page, firstNew)
            for id in page.identities[firstNew...] { anchors.add(id) }

            let count = page.identities.count
            // The API's own signals win; a short page ends the listing only without them
            // (an API may cap pages below `limit` and still have more).
            if let hasMore = page.hasMore {
                if !hasMore { return stepBacks }
            } else if let total = page.total {
                if offset + count >= total { return stepBacks }
            } else if count < config.limit, count > 0 || config.stopAfterEmptyPage {
                return stepBacks
            }
            // An empty page that claims more would never advance: stop rather than spin.
            if count == 0 { return stepBacks }
            // Advance by what the page really held, keeping `overlap` records of it.
            offset += max(1, count - overlap)
            if let max = config.maximumOffset, offset >= max { return stepBacks }
        }
    }
}

/// A fetched and parsed page, with what the walker needs to place it.
struct FetchedPage: Sendable {
    var page: Page
    var identities: [RecordIdentity]
    var hasMore: Bool?
    var total: Int?
    var paginatorValues: [String?]
    var headers: [(name: String, value: String)]
}

extension RecordIdentity: @unchecked Sendable {}
