import Foundation
import PaystreamConfig

/// Where a unit's next round begins, decided from checkpoints alone (no broker, no clock of
/// its own), so the decisions are tested as they are; `UnitRunner+Round` carries them out.
enum NextRound {
    /// The first checkpoint of a whole resource's next round: one more round and run, the
    /// saved cursor and the leaked-record scan's start carried over, and the window pinned
    /// from the saved cursor at `now`.
    static func unsliced(after previous: UnitCheckpoint?, incremental: IncrementalConfig?, now: Date) -> UnitCheckpoint {
        var next = UnitCheckpoint(round: (previous?.round ?? 0) + 1, run: (previous?.run ?? 0) + 1, status: .running, updatedAt: now.ISO8601Format())
        next.saved = previous?.saved
        next.scanFrom = previous?.scanFrom
        if let incremental { next.window = IncrementalWindow(config: incremental, stored: previous?.saved, now: now) }
        return next
    }

    /// What a slice does next.
    enum SliceStep: Equatable {
        /// Run `round`, whose whole window (every slice's) is `window`.
        case run(round: Int, window: IncrementalWindow)
        /// Wait: for slice 0 to pin the round, or for the other slices to finish the last one.
        case wait
        /// Slice 0 pins this new round on the resource's own record first, then runs it.
        case pin(UnitCheckpoint)
    }

    /// The step of slice `unit`, which completed rounds up to `done`. `record` is the
    /// resource's own record (the pinned round and window); `checkpoint` gives any unit's.
    /// A round pinned past `done` with this many slices runs. Otherwise slice 0 pins the next
    /// one once every slice completed the pinned round, from the cursor they reached together;
    /// the other slices wait for it.
    static func slice(
        _ unit: WorkUnit, after done: Int, record: UnitCheckpoint?, checkpoint: (String) -> UnitCheckpoint?,
        incremental: IncrementalConfig, now: Date
    ) -> SliceStep {
        if let record, let slices = record.slices, record.round > done, let window = record.window, slices == unit.slices {
            return .run(round: record.round, window: window)
        }
        guard unit.slice == 0 else { return .wait }
        var saved = record?.saved
        if let record, let slices = record.slices, let window = record.window {
            let parts = (0..<slices).map { checkpoint(WorkUnit(resource: unit.resource, slice: $0, slices: slices).id) }
            guard parts.allSatisfy({ $0?.round == record.round && $0?.status == .completed }) else { return .wait }
            let records = parts.reduce(0) { $0 + ($1?.published ?? 0) }
            saved = CursorTracker.merged(window: window, slices: parts.map { $0?.progress }, records: records, completedAt: now.ISO8601Format()) ?? saved
        }
        var pin = UnitCheckpoint(round: (record?.round ?? 0) + 1, run: (record?.run ?? 0) + 1, status: .running, updatedAt: now.ISO8601Format())
        pin.saved = saved
        pin.slices = unit.slices
        pin.window = IncrementalWindow(config: incremental, stored: saved, now: now)
        return .pin(pin)
    }
}
