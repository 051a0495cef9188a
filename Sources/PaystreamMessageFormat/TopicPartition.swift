/// One partition of a Kafka topic. The Kafka layer reads and assigns these, and the store
/// keeps its offsets by them, so both speak the same type without depending on each other.
public struct TopicPartition: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var topic: String
    public var partition: Int32

    public init(topic: String, partition: Int32) {
        self.topic = topic
        self.partition = partition
    }

    public static func < (a: Self, b: Self) -> Bool { (a.topic, a.partition) < (b.topic, b.partition) }
    public var description: String { "\(topic)[\(partition)]" }
}

extension TopicPartition {
    /// `topic[0-3,6]` per topic: readable even for hundreds of partitions.
    public static func summary(_ partitions: some Sequence<TopicPartition>) -> String {
        Dictionary(grouping: partitions, by: \.topic).sorted { $0.key < $1.key }.map { topic, items in
            var ranges: [String] = []
            var run: [Int32] = []
            func flush() {
                guard let first = run.first, let last = run.last else { return }
                ranges.append(first == last ? "\(first)" : "\(first)-\(last)")
            }
            for p in items.map(\.partition).sorted() {
                if let last = run.last, p != last + 1 {
                    flush()
                    run = []
                }
                run.append(p)
            }
            flush()
            return "\(topic)[\(ranges.joined(separator: ","))]"
        }.joined(separator: ", ")
    }
}
