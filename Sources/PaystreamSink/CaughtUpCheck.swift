import PaystreamTopics

/// Decides when `--until-caught-up` may stop: every partition that had messages at start
/// is read up to the end it had then. Only this store counts: what other sinks of the group
/// wrote does not. Once this says done, the writer writes what was read and the sink exits.
struct CaughtUpCheck {
    private var targets: [TopicPartition: Int64]
    private var reached: [TopicPartition: Int64]

    /// `targets`: each partition's end at start. `starts`: where reading starts.
    init(targets: [TopicPartition: Int64], starts: [TopicPartition: Int64]) {
        self.targets = targets.filter { $0.value > 0 }
        reached = starts.filter { $0.value >= 0 }
    }

    var isDone: Bool { targets.allSatisfy { reached[$0.key, default: 0] >= $0.value } }

    /// The reader's positions (past transaction markers, too).
    mutating func advance(_ positions: [TopicPartition: Int64]) {
        reached.merge(positions) { max($0, $1) }
    }

    /// Partitions read again from their beginning.
    mutating func restart(_ partitions: [TopicPartition]) {
        for p in partitions { reached[p] = 0 }
    }

    /// Partitions of topics recreated since the start: their ends then mean nothing now.
    mutating func forget(_ partitions: [TopicPartition]) {
        for p in partitions { targets[p] = nil }
    }
}
