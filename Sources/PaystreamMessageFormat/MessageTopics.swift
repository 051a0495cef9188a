/// The topics Paystream reads and writes, all named from one prefix (`--topic-prefix`).
/// Fetcher, sink, status tools and tests name topics only through this type.
public struct MessageTopics: Sendable, Equatable {
    public var prefix: String

    public init(prefix: String) {
        self.prefix = prefix
    }

    /// `<prefix>.<resource>`: one record message per record version, keyed by primary key.
    public func records(_ resource: String) -> String { named(resource) }

    /// `<prefix>._paystream_state`: compacted; each work unit's checkpoint and each
    /// resource's cursor, keyed by unit id.
    public var state: String { named("_paystream_state") }

    /// `<prefix>._paystream_work.<resource>`: no messages; one partition per work unit of
    /// the resource, so a fetcher group's members share the units as they share partitions.
    public func work(_ resource: String) -> String { named("_paystream_work.\(resource)") }

    /// `<prefix>.dead-letter`: messages the sink could not store, with their origin.
    public var deadLetter: String { named("dead-letter") }

    private func named(_ name: String) -> String {
        prefix.isEmpty ? name : "\(prefix).\(name)"
    }
}
