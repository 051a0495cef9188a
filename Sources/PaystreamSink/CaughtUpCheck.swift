import PaystreamKafka
import PaystreamMessageFormat

/// Decides when `--until-caught-up` may stop: every partition the topics had at start is
/// read up to the end it had then. Each end is taken from the first fetch response for
/// the partition (a few milliseconds after start; the broker's ListOffsets answer can be
/// wrong, fetch responses are right on every broker). Only this store counts: what other
/// sinks of the group wrote does not. Once this says done, the writer writes what was read
/// and the sink exits.
struct CaughtUpCheck {
    /// Partitions at start whose end has not been seen yet.
    private var unseen: Set<TopicPartition>
    private var targets: [TopicPartition: Int64] = [:]
    private var reached: [TopicPartition: Int64]
    /// Partitions read again from their beginning: their position counts only once a
    /// message of theirs was read again (until then it may still be the old one).
    private var restarted: Set<TopicPartition> = []
    /// Grows with every step towards done (an end seen, a position further): a reader
    /// whose count stands still is not getting anywhere.
    private(set) var progress = 0

    /// `starts`: where reading starts in each partition the topics had at start.
    init(starts: [TopicPartition: KafkaOffset]) {
        unseen = Set(starts.keys)
        // Where a logical start lies is known once a position is read.
        reached = starts.compactMapValues { start in
            switch start {
            case .exact(let offset): offset
            case .beginning, .end: nil
            }
        }
    }

    /// Whether every end is seen and reached; looks up ends not seen yet in `consumer`'s
    /// last fetch responses.
    mutating func isDone(_ consumer: KafkaConsumer) -> Bool {
        isDone(ends: { consumer.cachedWatermarks($0)?.high })
    }

    /// `isDone` with the partitions' ends as the last fetch responses gave them (nil: no
    /// response yet).
    mutating func isDone(ends: (TopicPartition) -> Int64?) -> Bool {
        for p in unseen {
            guard let high = ends(p) else { continue }
            targets[p] = high
            unseen.remove(p)
            progress += 1
        }
        return unseen.isEmpty && targets.allSatisfy { reached[$0.key, default: 0] >= $0.value }
    }

    /// The reader's positions (past transaction markers, too); `afterMessages`: taken
    /// right after reading messages of these partitions.
    mutating func advance(_ positions: [TopicPartition: Int64], afterMessages: Bool) {
        for (p, position) in positions {
            if restarted.contains(p) {
                guard afterMessages else { continue }
                restarted.remove(p)
                reached[p] = position
                progress += 1
            } else if position > reached[p, default: 0] {
                reached[p] = position
                progress += 1
            }
        }
    }

    /// The partitions not caught up yet, for an error that says where the reader stands.
    var behind: String {
        let waiting = unseen.sorted().map { "\($0) (no answer from the broker yet)" }
        let short = targets.filter { reached[$0.key, default: 0] < $0.value }.sorted { $0.key < $1.key }
            .map { "\($0.key) at \(reached[$0.key, default: 0]) of \($0.value)" }
        let all = waiting + short
        return all.prefix(5).joined(separator: ", ") + (all.count > 5 ? " and \(all.count - 5) more" : "")
    }

    /// Partitions read again from their beginning.
    mutating func restart(_ partitions: [TopicPartition]) {
        for p in partitions {
            reached[p] = 0
            restarted.insert(p)
        }
    }

    /// Partitions of topics recreated since the start: their ends then mean nothing now.
    mutating func forget(_ partitions: [TopicPartition]) {
        for p in partitions {
            targets[p] = nil
            unseen.remove(p)
        }
    }
}

/// How long a reader has gone without progress (`CaughtUpCheck.progress`), measured only
/// while it waits for the broker: the clock restarts whenever progress is made or a batch
/// was handed to the writer (however long the writer took).
struct StallWatch {
    let limit: Duration
    private var since = ContinuousClock.now
    private var lastProgress = -1

    init(limit: Duration) {
        self.limit = limit
    }

    mutating func restart() { since = .now }

    /// True once `progress` has stood still for longer than `limit`.
    mutating func isOverdue(progress: Int, now: ContinuousClock.Instant = .now) -> Bool {
        if progress != lastProgress {
            lastProgress = progress
            since = now
        }
        return now - since > limit
    }
}
