import Foundation
import PaystreamConfig
import PaystreamSource

/// One incremental run's window, dlt's `Incremental` with a pinned end.
///
/// - It starts at the last cursor value the previous run published (its `last_value`),
///   minus `lag`, never before `initial_value`; the start is included (a closed range), and
///   the records the previous run published with exactly that value (its boundary) are not
///   published again.
/// - It ends (excluded) at `end_value`, or else at the moment the run starts, written the
///   way the API writes its cursor. Records at or after the end are left to the next run:
///   a record changed during the run, even within the same second on an API with
///   whole-second cursors, is read again by the next run, because that run starts at a value
///   no later than any such change.
/// - The saved cursor is the API's own largest value published, never the fetcher's clock,
///   so numeric cursors stay numbers and a counter never jumps to a time.
struct IncrementalWindow: Sendable, Equatable {
    /// The first cursor value read; nil on a first run without `initial_value`.
    var start: CursorValue?
    /// Sent as `end_param` and `{incremental.end_value}`: `end_value`, or the run's start
    /// in the API's format; nil when that format is not known yet or is not a time.
    var end: CursorValue?
    /// The run's start, for records whose cursor is a time when `end` could not be written.
    var pinned: RFC3339.Instant
    /// `end_value` was configured: a bounded backfill, which (as in dlt) does not move the
    /// stored cursor.
    var isBounded: Bool
    /// The previous run's last value and the content hashes it published with it.
    var boundary: Boundary?
    var initial: CursorValue?

    struct Boundary: Sendable, Equatable {
        var value: CursorValue
        var hashes: Set<UInt64>
    }

    init(start: CursorValue?, end: CursorValue?, pinned: RFC3339.Instant, isBounded: Bool, boundary: Boundary?, initial: CursorValue?) {
        self.start = start
        self.end = end
        self.pinned = pinned
        self.isBounded = isBounded
        self.boundary = boundary
        self.initial = initial
    }

    init(config: IncrementalConfig, stored: CursorState?, now: Date = Date()) {
        pinned = RFC3339.Instant(now)
        initial = config.initialValue.map(CursorValue.init(configText:))
        let last = stored.map { CursorValue(text: $0.cursor, isNumber: $0.cursorIsNumber ?? CursorValue(configText: $0.cursor).isNumber) }
        if let last {
            boundary = Boundary(value: last, hashes: Set(stored?.boundaryHashes ?? []))
            var start = CursorFormat.subtract(config.lag, from: last)
            // dlt's rule: lag never reaches back past initial_value.
            if let initial, start.isBefore(initial) { start = initial }
            self.start = start
        } else {
            start = initial
        }
        isBounded = config.endValue != nil
        if let endValue = config.endValue {
            end = CursorValue(configText: endValue)
        } else if let example = last ?? initial {
            end = CursorFormat(example: example).cursor(at: pinned)
        }
    }

    var requestValues: IncrementalRequestValues {
        IncrementalRequestValues(start: start, end: end, initial: initial)
    }

    /// Whether a record with `cursor` belongs to this run: at or after the start, before the
    /// end. A record without a cursor (or one of another kind) cannot be placed: it is published.
    func contains(_ cursor: CursorValue) -> Bool {
        if let start, cursor.isBefore(start) { return false }
        if let end { return !Self.isAtOrAfter(cursor, end) }
        guard let instant = CursorFormat.instant(of: cursor) else { return true }
        return instant < pinned
    }

    /// True when the previous run published exactly this record (same value, same bytes).
    func isBoundaryRepeat(_ cursor: CursorValue, hash: () -> UInt64) -> Bool {
        guard let boundary, !boundary.hashes.isEmpty, cursor.isSameCursor(as: boundary.value) else { return false }
        return boundary.hashes.contains(hash())
    }

    private static func isAtOrAfter(_ cursor: CursorValue, _ end: CursorValue) -> Bool {
        end.isBefore(cursor) || end.isSameCursor(as: cursor)
    }
}
