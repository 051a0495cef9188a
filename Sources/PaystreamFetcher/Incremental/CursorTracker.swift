import PaystreamSource

/// Follows the records one incremental run publishes: which to publish (inside the window,
/// not a repeat of the previous run's boundary), the largest cursor value published, and
/// the records published with that value (the next run's boundary).
struct CursorTracker: Sendable {
    let window: IncrementalWindow
    private(set) var last: CursorValue?
    private(set) var boundary: [UInt64] = []
    /// More records than this sharing the last value are not remembered; they are then
    /// published again by the next run (a repeat, never a loss).
    static let boundaryLimit = 1000

    init(window: IncrementalWindow) {
        self.window = window
    }

    /// Resumes a round from a checkpoint's progress.
    init(window: IncrementalWindow, progress: CursorProgress?) {
        self.window = window
        last = progress?.last
        boundary = progress?.boundaryHashes ?? []
    }

    /// What to checkpoint to resume this tracker.
    var progress: CursorProgress { CursorProgress(last: last, boundaryHashes: boundary) }

    /// Whether to publish the record; notes it as published when true.
    mutating func admit(_ cursor: CursorValue?, hash: () -> UInt64) -> Bool {
        guard let cursor else { return true }
        guard window.contains(cursor), !window.isBoundaryRepeat(cursor, hash: hash) else { return false }
        if let last, !last.isBefore(cursor) {
            if cursor.isSameCursor(as: last), boundary.count < Self.boundaryLimit { boundary.append(hash()) }
        } else if last == nil || last!.isBefore(cursor) {
            last = cursor
            boundary = [hash()]
        }
        return true
    }

    /// The state to save after every published record was acknowledged; nil when the
    /// stored cursor must stay (nothing new was published, or a bounded backfill).
    func state(records: Int, completedAt: String) -> CursorState? {
        guard !window.isBounded, let last else { return nil }
        var hashes = boundary
        // Still at the previous last value: the next run skips both runs' records with it.
        if let before = window.boundary, last.isSameCursor(as: before.value) {
            hashes = Array(Set(hashes).union(before.hashes).prefix(Self.boundaryLimit))
        }
        return CursorState(cursor: last.text, cursorIsNumber: last.isNumber, boundaryHashes: hashes, records: records, completedAt: completedAt)
    }
}
