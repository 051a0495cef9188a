import PaystreamKafka
import PaystreamStore

/// Decides when `--until-caught-up` may stop: every partition that had messages at start
/// is written up to its start-time high-water mark, by this sink (the offsets it committed
/// to the store) or, for partitions another group member owns, by the group (its committed
/// offsets).
struct CaughtUpCheck {
    let targets: [StorePartition: Int64]
    /// The store's offsets: as read at start, then as each batch committed them.
    private var written: [StorePartition: Int64]
    private var lastGroupCheck = ContinuousClock.now - .seconds(10)

    init(targets: [StorePartition: Int64], written: [StorePartition: Int64]) {
        self.targets = targets
        self.written = written
    }

    mutating func wrote(_ offsets: [StorePartition: Int64]) {
        written.merge(offsets) { max($0, $1) }
    }

    mutating func isDone(consumer: KafkaConsumer) throws -> Bool {
        var pending = targets.filter { (written[$0.key] ?? 0) < $0.value }
        if pending.isEmpty { return true }
        // Partitions owned by other members: ask the group, at most once a second.
        guard ContinuousClock.now - lastGroupCheck >= .seconds(1) else { return false }
        lastGroupCheck = .now
        // Before this member has joined the group there is no one to ask.
        let assignment = try consumer.assignment()
        guard !assignment.isEmpty else { return false }
        let assigned = Set(assignment.map { StorePartition(topic: $0.topic, partition: $0.partition) })
        // On topics written in transactions the last offsets are commit markers, which no
        // message reaches: this member's position passes them once everything before is written.
        let positions = try consumer.positions(assignment)
        pending = pending.filter { p, target in (positions[KafkaTopicPartition(topic: p.topic, partition: p.partition)] ?? 0) < target }
        if pending.isEmpty { return true }
        let others = pending.keys.filter { !assigned.contains($0) }.map { KafkaTopicPartition(topic: $0.topic, partition: $0.partition) }
        guard !others.isEmpty else { return false }
        // A slow coordinator only delays the answer; it is asked again a second later.
        guard let committed = try? consumer.committed(others, timeout: .seconds(2)) else { return false }
        pending = pending.filter { p, target in (committed[KafkaTopicPartition(topic: p.topic, partition: p.partition)] ?? 0) < target }
        return pending.isEmpty
    }
}
