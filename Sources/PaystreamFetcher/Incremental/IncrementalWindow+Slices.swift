import PaystreamSource

extension IncrementalWindow {
    /// The `index`-th of `count` equal parts of this window, by time: boundaries written
    /// the API's way (so part k's end and part k+1's start are the same value, and every
    /// record falls in exactly one part). Only the first part skips the previous run's
    /// boundary records. Nil when the window has no start or end, or its values are not
    /// times (a counter cannot be split by time).
    func slice(_ index: Int, of count: Int) -> IncrementalWindow? {
        guard count > 1 else { return self }
        guard let start, let end, let from = CursorFormat.instant(of: start), let to = CursorFormat.instant(of: end) else { return nil }
        let format = CursorFormat(example: start)
        func cut(_ k: Int) -> CursorValue? {
            if k == 0 { return start }
            if k == count { return end }
            let span = Double(to.seconds - from.seconds) + Double(to.nanoseconds - from.nanoseconds) / 1e9
            return format.cursor(at: from.adding(seconds: span * Double(k) / Double(count)))
        }
        guard let lower = cut(index), let upper = cut(index + 1) else { return nil }
        return IncrementalWindow(
            start: lower, end: upper, pinned: pinned, isBounded: isBounded,
            boundary: index == 0 ? boundary : nil, initial: initial
        )
    }
}

extension CursorTracker {
    /// The cursor state a sliced round saves once every slice completed: the largest value
    /// any slice published, with its records (the slices' windows do not overlap).
    static func merged(window: IncrementalWindow, slices: [CursorProgress?], records: Int, completedAt: String) -> CursorState? {
        var best: CursorProgress?
        for progress in slices.compactMap({ $0 }) {
            guard let last = progress.last else { continue }
            if let current = best?.last, !current.isBefore(last) { continue }
            best = progress
        }
        return CursorTracker(window: window, progress: best).state(records: records, completedAt: completedAt)
    }
}
