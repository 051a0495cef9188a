/// A resource's newest completed sync, as far as the state topic tells it: what the table's
/// "last completed sync" shows, so that it agrees with the newest sync's own line.
///
/// When the newest sync completed (every unit, for a sliced resource) it is that sync: its
/// number, when its last unit committed, and the records its units published — also when it
/// saved no cursor (a resource without `incremental`, a sync that found nothing new, a
/// bounded backfill, a sliced sync whose cursor is merged only when the next one is
/// pinned). While the newest sync runs or after it failed, the checkpoints hold no other
/// sync's time but that of the last one that saved the cursor: that one, without a number.
struct CompletedSync: Equatable {
    var round: Int?
    var completedAt: String
    var records: Int?
}

extension CompletedSync {
    /// `units`: each unit's checkpoint; `record`: the resource's own record (a whole
    /// resource's is its unit's checkpoint; a sliced one's holds the pinned round and the
    /// cursor saved so far).
    init?(units: [(id: String, state: JSONValue?)], record: JSONValue?) {
        let states = units.compactMap(\.state)
        if states.count == units.count, let round = states.first.flatMap(Self.round),
           states.allSatisfy({ Self.round($0) == round && $0["status"]?.text == "completed" }),
           let finished = states.compactMap({ $0["updated_at"]?.text }).max() {
            self.round = round
            completedAt = finished
            records = states.reduce(0) { $0 + ($1["published"]?.text.flatMap { Int($0) } ?? 0) }
            return
        }
        // A record written before fetcher groups (no round) is a completed sync too: its saved cursor's.
        guard let saved = record?["completed_at"]?.text else { return nil }
        round = nil
        completedAt = saved
        records = record?["records"]?.text.flatMap { Int($0) }
    }

    private static func round(_ state: JSONValue) -> Int? {
        state["round"]?.text.flatMap { Int($0) }
    }
}
