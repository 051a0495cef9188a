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

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
