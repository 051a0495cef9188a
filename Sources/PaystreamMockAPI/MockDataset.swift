import Synchronization

/// The mock API's data: per resource, each record's current version and `updated_at`.
/// Record bodies are rendered on demand from (seed, resource, index, version), so a million
/// records cost a few megabytes and every run with the same seed serves the same data.
public final class MockDataset: Sendable {
    public let seed: UInt64
    let renderer: MockRecordRenderer
    private let state: Mutex<[MockResource: ResourceState]>

    struct ResourceState {
        var versions: [UInt32]
        var updatedAt: [Int64]
    }

    /// One record as the API currently has it.
    public struct RecordVersion: Sendable, Equatable {
        public var index: Int
        public var version: UInt32
        public var updatedAt: Int64
    }

    public init(seed: UInt64, recordsPerResource: Int) {
        self.seed = seed
        let renderer = MockRecordRenderer(seed: seed)
        self.renderer = renderer
        var all: [MockResource: ResourceState] = [:]
        for resource in MockResource.allCases {
            let updated = (0..<recordsPerResource).map { index -> Int64 in
                var r = MockRandom(seed: seed, resource: resource, index: index)
                _ = r.next()
                return renderer.createdAt(resource, index) + Int64(r.below(30 * 86_400_000))
            }
            all[resource] = ResourceState(versions: Array(repeating: 0, count: recordsPerResource), updatedAt: updated)
        }
        state = Mutex(all)
    }

    public func count(_ resource: MockResource) -> Int {
        state.withLock { $0[resource]!.versions.count }
    }

    /// Records `offset..<offset+limit` in creation order, and the total.
    func page(_ resource: MockResource, offset: Int, limit: Int) -> (records: [RecordVersion], total: Int) {
        state.withLock { all in
            let s = all[resource]!
            let end = min(s.versions.count, offset + limit)
            let records = offset < end ? (offset..<end).map { RecordVersion(index: $0, version: s.versions[$0], updatedAt: s.updatedAt[$0]) } : []
            return (records, s.versions.count)
        }
    }

    /// Every record's id and current rendered JSON: what a complete sync must end up with.
    public func currentRecords(_ resource: MockResource) -> [(id: String, json: [UInt8])] {
        let versions: [RecordVersion] = state.withLock { all in
            let s = all[resource]!
            return s.versions.indices.map { RecordVersion(index: $0, version: s.versions[$0], updatedAt: s.updatedAt[$0]) }
        }
        return versions.map { (renderer.id(resource, $0.index), render(resource, $0)) }
    }

    public func id(_ resource: MockResource, index: Int) -> String {
        renderer.id(resource, index)
    }

    func render(_ resource: MockResource, _ record: RecordVersion) -> [UInt8] {
        var json = MockJSONBuilder(capacity: 768)
        renderer.render(resource, index: record.index, version: record.version, updatedAt: record.updatedAt, into: &json)
        return json.bytes
    }
}
