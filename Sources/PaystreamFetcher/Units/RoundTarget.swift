import PaystreamBasics

/// What `--once` asks of one unit: the next completion of a round, counted from the
/// checkpoint seen when this fetcher started. A round left running (or failed) by an
/// earlier run is resumed and its completion counts: a sync that was killed is finished,
/// not started again. Failures count only when they happened after this fetcher started.
struct RoundTarget: Sendable, Equatable {
    /// The round whose completion is wanted.
    var round: Int
    /// Work (runs) before this number happened before this fetcher started.
    var firstRun: Int

    init(seen checkpoint: UnitCheckpoint?) {
        guard let checkpoint else {
            self.init(round: 1, firstRun: 1)
            return
        }
        self.init(round: checkpoint.status == .completed ? checkpoint.round + 1 : checkpoint.round, firstRun: checkpoint.run + 1)
    }

    init(round: Int, firstRun: Int) {
        self.round = round
        self.firstRun = firstRun
    }

    func isMet(by checkpoint: UnitCheckpoint?) -> Bool {
        guard let checkpoint else { return false }
        return checkpoint.round > round || (checkpoint.round == round && checkpoint.status == .completed)
    }

    /// The wanted round failed in work done since this fetcher started.
    func hasFailed(_ checkpoint: UnitCheckpoint?) -> Bool {
        guard let checkpoint else { return false }
        return checkpoint.round == round && checkpoint.status == .failed && checkpoint.run >= firstRun
    }
}

extension RoundTarget {
    /// The `--once` targets of `units`, from the checkpoints this fetcher saw at start.
    /// The slices of a resource run one round together (slice 0 pins it once every slice
    /// finished the last one), so they share one target: the earliest round any of them
    /// wants. A member that joined while a sliced round ran and saw some slices finish it
    /// wants that round too; wanting the next one for those slices alone would wait for a
    /// pin that no member wanting only this round makes, or read a fixed window again and
    /// publish its versions twice.
    static func targets(for units: [WorkUnit], seen checkpoint: (String) -> UnitCheckpoint?) -> [String: RoundTarget] {
        var targets = Dictionary(uniqueKeysWithValues: units.map { ($0.id, RoundTarget(seen: checkpoint($0.id))) })
        for slices in Dictionary(grouping: units.filter(\.isSlice), by: \.resource).values {
            let round = slices.map { targets[$0.id]!.round }.min()!
            for slice in slices { targets[slice.id]!.round = round }
        }
        return targets
    }

    /// Nil while some unit (by id, as `targets(for:seen:)` keys them) has neither met nor
    /// failed its target; once every unit has, the failed units' reasons (empty when all met theirs).
    static func outcome(of targets: [String: RoundTarget], latest: [String: UnitCheckpoint]) -> [String]? {
        guard targets.allSatisfy({ id, target in target.isMet(by: latest[id]) || target.hasFailed(latest[id]) }) else { return nil }
        return targets.keys.sorted().filter { targets[$0]!.hasFailed(latest[$0]) }.map { "\($0): \(latest[$0]?.error ?? "failed")" }
    }
}

/// When a unit's owner works on it.
enum RoundSchedule: Sendable {
    /// `--once`: until every unit met its target.
    case once([String: RoundTarget])
    /// A daemon: a new round `interval` after the last one ended (completed or failed).
    case every(Duration)

    enum Decision: Equatable {
        /// Go on with the round in the checkpoint.
        case resume
        /// Begin the next round.
        case startNext
        /// Nothing to do before this many seconds from now (nil: nothing to do at all).
        case wait(seconds: Double?)
    }

    /// `endedAgo`: seconds since the checkpoint was written.
    func decide(unit: WorkUnit, _ checkpoint: UnitCheckpoint?, endedAgo: Double) -> Decision {
        switch self {
        case .once(let targets):
            let target = targets[unit.id] ?? RoundTarget(seen: nil)
            if target.isMet(by: checkpoint) || target.hasFailed(checkpoint) { return .wait(seconds: nil) }
            guard let checkpoint, checkpoint.status != .completed else { return .startNext }
            return .resume
        case .every(let interval):
            guard let checkpoint else { return .startNext }
            if checkpoint.status == .running { return .resume }
            let remaining = interval.seconds - endedAgo
            if remaining > 0 { return .wait(seconds: remaining) }
            return checkpoint.status == .failed ? .resume : .startNext
        }
    }
}
