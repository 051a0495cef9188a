/// Which partition of the state topic each unit writes its checkpoints (and claims) to:
/// one of its own, so that no two units' transactions ever share a state partition.
///
/// Kafka itself does not need this; Tansu 0.6 does: when two transactions that wrote the
/// same partition end in the opposite order to the one they began in, Tansu can leave the
/// later one "preparing" for ever, and the partition's last stable offset stops there, so
/// `read_committed` readers never get past it (README, "Broker assumptions"). Units that
/// write only their own partitions never overlap there.
struct StateTopicLayout: Sendable {
    let topic: String
    /// Every unit of the config (not only this fetcher's `--resources`), by id.
    let units: [String]
    /// The state topic's partition count as the broker has it.
    let partitions: Int

    init(topic: String, units: [WorkUnit], partitions: Int) {
        self.topic = topic
        self.units = units.map(\.id).sorted()
        self.partitions = max(1, partitions)
    }

    /// The partition `unit`'s producer writes to: the unit's place among all units (modulo
    /// the partitions, for a state topic created with fewer).
    func partition(for unit: WorkUnit) -> Int32 {
        Int32((units.firstIndex(of: unit.id) ?? 0) % partitions)
    }

    var hasAPartitionPerUnit: Bool { partitions >= units.count }
}
