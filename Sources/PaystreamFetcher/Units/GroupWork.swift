import PaystreamMessageFormat

/// How a fetcher group shares units through Kafka's group protocol: a work topic per
/// resource with a partition per unit (a slice, or the whole resource), so that the
/// partitions Kafka assigns to a member are the units it runs.
struct GroupWork: Sendable {
    /// The work topics this member subscribes to: its resources' (`--resources`).
    let topics: [String]
    private let unitsByPartition: [TopicPartition: WorkUnit]

    init(units: [WorkUnit], topics names: MessageTopics) {
        var seen: Set<String> = []
        topics = units.map { names.work($0.resource) }.filter { seen.insert($0).inserted }
        unitsByPartition = Dictionary(uniqueKeysWithValues: units.map { (TopicPartition(topic: names.work($0.resource), partition: $0.workPartition), $0) })
    }

    /// The units `partitions` stand for, in their order; a partition that stands for no
    /// unit of this member (another resource, a partition beyond the slices) is ignored.
    func units(in partitions: [TopicPartition]) -> [WorkUnit] {
        partitions.compactMap { unitsByPartition[$0] }
    }
}
