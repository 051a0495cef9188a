import PaystreamConfig

/// Offset pagination that neither loops nor skips when the listing moves under it.
///
/// Plain offset paging skips records whenever records before the current offset leave
/// their place (an API listing by `updated_at` moves every updated record to the end, and
/// a filtered window loses it): everything behind shifts down and a page boundary jumps
/// over it. The walker asks for pages that overlap the previous one by a tenth of the page
/// the API serves, and a page counts only once it proves it joins the pages before: it must
/// hold a record version already met. If it does not, the listing shifted further than the
/// overlap, and the walker steps back. On a page that joins, every record not yet handed on
/// in that form is handed on, wherever it sits on the page, so records of a group of ties
/// that the API lists in a new order on every request are not lost; repeats are skipped, and
/// so is an older version of a record whose newer version was handed on. When the listing is
/// ordered by the version field, a page must also begin before the previous page's last
/// group of equal versions, since that group may be reshuffled across the page boundary.
///
/// When the listing moves further than the overlap between two requests (a busy API), the
/// walker steps back by just enough to double the overlap, and keeps it that wide (up to
/// a quarter page) for the rest of the walk, so that it does not step back on every page.
///
/// A listing that shows T records ends within `requestBudget` requests (about three per page
/// of T records) or fails with `OffsetListingError`, naming the resource. T counts the
/// records handed on as well as those still ahead: a window whose records are updated during
/// the walk shrinks below what was already read, and that work is progress, not a loop.
///
/// Once a page told the listing's total, up to `concurrency` pages below it are fetched
/// ahead and parsed in parallel; they are handed on strictly in listing order.
struct OffsetWalker: PageSource {
    let config: PaginatorConfig.Offset
    let base: RESTRequest
    let concurrency: Int
    let resource: String
    let fetch: PageFetch

    /// Records two consecutive pages share, for pages of `size`: a tenth, none for pages of one;
    /// doubled for each widening, up to a quarter page.
    static func overlap(_ size: Int, widenings: Int = 0) -> Int {
        size > 1 ? min(max(1, size / 10) << min(widenings, 16), max(1, size / 4)) : 0
    }

    /// The most requests a listing may take: three per page's worth of records it has shown.
    static func requestBudget(records: Int, pageSize: Int) -> Int {
        3 * (records / max(1, pageSize - overlap(pageSize)) + 1) + 20
    }

    func request(at offset: Int) -> RESTRequest {
        var request = base
        request.setQuery(config.offsetParam, String(offset))
        request.setQuery(config.limitParam, String(config.limit))
        return request
    }

    func read(from start: ListingPosition?, _ handle: (Page, ListingPosition) async throws -> Void) async throws -> ListingSummary {
        var position: OffsetPosition
        switch start {
        case nil: position = OffsetPosition(offset: config.offset)
        case .offset(let saved)?: position = saved
        case .finished?: return ListingSummary()
        case let other?: throw OffsetListingError.foreignPosition(resource: resource, position: other)
        }
        var seen = SeenRecords(capacity: 4 * max(config.limit, 100), remembering: position.tail)
        var summary = ListingSummary()
        var inFlight: [Int: Task<(FetchedPage, [RecordMark]), any Error>] = [:]
        defer { inFlight.values.forEach { $0.cancel() } }
        // Extra requests spent widening the overlap around one page boundary (ties).
        var tieRereads = 0
        // How often the listing moved further than the overlap: each doubles it.
        var widenings = 0
        // Records whose key this read met for the first time (as far as `seen` remembers):
        // what the listing has shown, however much it shrank since. A loop over the same
        // records, even with bytes that change on every request, does not add to it.
        var recordsMet = 0

        while true {
            let size = position.pageSize ?? config.limit
            let step = max(1, size - Self.overlap(size, widenings: widenings))
            // Keep `concurrency` requests in flight below a known total; without one, one.
            for k in 0..<(position.total == nil ? 1 : concurrency) {
                let o = position.offset + k * step
                if k > 0, o >= (position.total ?? 0) || o >= (config.maximumOffset ?? .max) { break }
                guard inFlight[o] == nil else { continue }
                summary.requests += 1
                let ahead = max(size, (position.total ?? 0) - position.offset)
                let shown = max(position.total ?? 0, position.offset + size, recordsMet + ahead)
                let budget = Self.requestBudget(records: shown, pageSize: size)
                guard summary.requests <= budget else {
                    throw OffsetListingError.unsettled(resource: resource, requests: summary.requests, offset: position.offset)
                }
                let request = request(at: o)
                // Pages are parsed and their records hashed in the fetching task, in parallel.
                inFlight[o] = Task { [fetch] in
                    let fetched = try await fetch(request)
                    return (fetched, fetched.page.body.withUnsafeBytes { body in fetched.page.records.map { RecordMark($0, in: body) } })
                }
            }
            // Awaiting a task's value does not pass a cancellation on to it: a stop must not
            // wait for the request (a slow API's, or a retry's pause) to end by itself.
            let next = inFlight.removeValue(forKey: position.offset)!
            let (result, marks) = try await withTaskCancellationHandler { try await next.value } onCancel: { next.cancel() }
            var fetched = result
            for stale in inFlight.keys where stale < position.offset { inFlight.removeValue(forKey: stale)?.cancel() }
            let count = marks.count
            position.pageSize = max(position.pageSize ?? 0, count)
            position.total = fetched.signals.total ?? position.total
            let overlap = Self.overlap(position.pageSize!, widenings: widenings)

            // Does this page join the pages before it?
            if overlap > 0, position.offset > config.offset, !position.tail.isEmpty || summary.pages > 0 {
                let joins = marks.contains(where: seen.hasMet)
                let tiesSafe = !joins || tiesCovered(marks, position.order, tieRereads: tieRereads, overlap: overlap)
                if !joins || !tiesSafe {
                    summary.rereads += 1
                    inFlight.values.forEach { $0.cancel() }
                    inFlight = [:]
                    let back: Int
                    if joins {
                        tieRereads += 1
                        back = overlap
                    } else if Self.overlap(position.pageSize!, widenings: widenings + 1) > overlap {
                        // The listing shifted by more than the overlap: ask again with it doubled.
                        widenings += 1
                        back = Self.overlap(position.pageSize!, widenings: widenings) - overlap
                    } else {
                        back = max(1, position.pageSize! - overlap)
                    }
                    position.offset = max(config.offset, position.offset - back)
                    continue
                }
            }
            tieRereads = 0

            let signals = fetched.signals
            var page = fetched.page
            fetched.page.records = []  // `page` holds the only reference: no copy when records are left out
            var handedOn = 0
            for (i, mark) in marks.enumerated() {
                switch seen.verdict(mark) {
                case .new:
                    if !seen.knowsKey(of: mark) { recordsMet += 1 }
                    // Records are moved down over those left out (most pages leave none out).
                    if handedOn != i { page.records[handedOn] = page.records[i] }
                    handedOn += 1
                    seen.remember(mark)
                case .repeated: seen.remember(mark)
                case .older: continue
                }
            }
            if handedOn < count { page.records.removeLast(count - handedOn) }
            position.order.note(page: marks)

            let finished = isLast(signals, count: count, at: position)
            position.tail = Array(marks.suffix(max(overlap, 1) * 2))
            // Advance by what the page really held, keeping `overlap` records of it.
            position.offset += max(1, count - overlap)
            let reachedMaximum = config.maximumOffset.map { position.offset >= $0 } ?? false
            summary.pages += 1
            try await handle(page, finished || reachedMaximum ? .finished : .offset(position))
            if finished || reachedMaximum { return summary }
        }
    }

    /// When versions are ordered, equal versions form groups the API may list in any
    /// order: the page must start before the group that ended the previous page, or a
    /// member reshuffled to before this page's start would be missed. Once the overlap has
    /// been widened to a whole page, the walker goes on: a group that large is beyond what
    /// overlapping pages can cover (README, "What the fetcher needs from the API").
    private func tiesCovered(_ marks: [RecordMark], _ order: VersionSequence, tieRereads: Int, overlap: Int) -> Bool {
        guard order.isOrdered, let last = order.last, let first = marks.first?.version else { return true }
        let widenedAsFarAsUseful = (tieRereads + 1) * overlap >= max(1, marks.count - overlap)
        return first != last || widenedAsFarAsUseful
    }

    /// The API's own signals win; a page shorter than the pages served before ends the
    /// listing only without them (an API may cap pages below `limit` and still have more).
    private func isLast(_ signals: PageSignals, count: Int, at position: OffsetPosition) -> Bool {
        if let hasMore = signals.hasMore { return !hasMore || count == 0 }
        if let total = signals.total { return position.offset + count >= total || count == 0 }
        if count == 0 { return true }
        // The first page cannot tell a cap from the end: dlt's rule, a page short of `limit`.
        let full = position.offset == config.offset ? config.limit : max(position.pageSize ?? config.limit, 1)
        return count < full
    }
}

/// An offset listing that cannot be read to its end.
public enum OffsetListingError: Error, CustomStringConvertible {
    case unsettled(resource: String, requests: Int, offset: Int)
    case foreignPosition(resource: String, position: ListingPosition)

    public var description: String {
        switch self {
        case .unsettled(let resource, let requests, let offset):
            "resource \(resource): the offset listing did not settle after \(requests) requests (at offset \(offset)): "
                + "consecutive pages kept failing to share a record version, so the walker cannot tell what it skipped. "
                + "The API may reorder records beyond what overlapping pages absorb, or change records on every request "
                + "without a version field: set the resource's paystream.version_path, or use a cursor or link paginator"
        case .foreignPosition(let resource, _):
            "resource \(resource): cannot resume an offset listing from another paginator's position"
        }
    }
}
