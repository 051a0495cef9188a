import Synchronization

/// The mock API's data: per resource, every record's current version and `updated_at`,
/// listed in `updated_at` order as many payment APIs do. Record bodies are rendered on
/// demand from (seed, resource, index, version): a million records cost a few megabytes,
/// and every run with the same seed serves the same data.
///
/// Records can be updated (new version, `updated_at` = now, moved to the end of the
/// listing) and created while the API serves, the way a live API changes under a sync.
public final class MockDataset: Sendable {
    public let seed: UInt64
    let renderer: MockRecordRenderer
    private let state: Mutex<[MockResource: ResourceLog]>
    /// First versions rendered up front (`prerender`): serving them is a copy, so a
    /// benchmark measures the client, not the mock.
    private let prerendered: [MockResource: PrerenderedRecords]

    struct PrerenderedRecords: Sendable {
        var bytes: [UInt8] = []
        var ends: [Int] = []

        func record(_ index: Int) -> ArraySlice<UInt8> {
            bytes[(index == 0 ? 0 : ends[index - 1])..<ends[index]]
        }
    }

    /// One record as the API currently has it.
    public struct RecordVersion: Sendable, Equatable {
        public var index: Int
        public var version: UInt32
        public var updatedAt: Int64
    }

    /// Entries in `updated_at` order (ties by index); dead entries are older versions.
    struct ResourceLog {
        var entries: [RecordVersion] = []
        var live = LiveIndex()
        /// Per record index, its live entry's position.
        var current: [Int] = []
        var lastUpdatedAt: Int64 = 0

        mutating func append(_ record: RecordVersion) {
            entries.append(record)
            let position = live.append()
            if record.index == current.count { current.append(position) } else { current[record.index] = position }
            lastUpdatedAt = max(lastUpdatedAt, record.updatedAt)
        }

        /// Entries with `since <= updatedAt < before`, as a position range.
        func window(since: Int64?, before: Int64?) -> Range<Int> {
            let lo = since.map { s in firstPosition { $0.updatedAt >= s } } ?? 0
            let hi = before.map { b in firstPosition { $0.updatedAt >= b } } ?? entries.count
            return lo..<max(lo, hi)
        }

        private func firstPosition(where predicate: (RecordVersion) -> Bool) -> Int {
            var lo = 0, hi = entries.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if predicate(entries[mid]) { hi = mid } else { lo = mid + 1 }
            }
            return lo
        }
    }

    public init(seed: UInt64, recordsPerResource: Int, prerender: Bool = false) {
        self.seed = seed
        let renderer = MockRecordRenderer(seed: seed)
        self.renderer = renderer
        var all: [MockResource: ResourceLog] = [:]
        for resource in MockResource.allCases {
            let initial = (0..<recordsPerResource).map { index -> RecordVersion in
                var r = MockRandom(seed: seed, resource: resource, index: index)
                _ = r.next()
                let updated = renderer.createdAt(resource, index) + Int64(r.below(30 * 86_400_000))
                return RecordVersion(index: index, version: 0, updatedAt: updated)
            }
            var log = ResourceLog()
            log.current = Array(repeating: 0, count: recordsPerResource)
            for record in initial.sorted(by: { ($0.updatedAt, $0.index) < ($1.updatedAt, $1.index) }) {
                log.append(record)
            }
            all[resource] = log
        }
        state = Mutex(all)
        var rendered: [MockResource: PrerenderedRecords] = [:]
        if prerender {
            for resource in MockResource.allCases {
                var records = PrerenderedRecords()
                records.ends.reserveCapacity(recordsPerResource)
                let log = all[resource]!
                for index in 0..<recordsPerResource {
                    var json = MockJSONBuilder(capacity: 768)
                    renderer.render(resource, index: index, version: 0, updatedAt: log.entries[log.current[index]].updatedAt, into: &json)
                    records.bytes += json.bytes
                    records.ends.append(records.bytes.count)
                }
                rendered[resource] = records
            }
        }
        prerendered = rendered
    }

    /// Appends a record's JSON to a page being built.
    func append(_ resource: MockResource, _ record: RecordVersion, to json: inout MockJSONBuilder) {
        if record.version == 0, let cached = prerendered[resource] {
            json.raw(cached.record(record.index))
        } else {
            renderer.render(resource, index: record.index, version: record.version, updatedAt: record.updatedAt, into: &json)
        }
    }

    public func count(_ resource: MockResource) -> Int {
        state.withLock { $0[resource]!.current.count }
    }

    /// One page of the listing in `updated_at` order, optionally limited to
    /// `since <= updated_at < before`, and how many records the (filtered) listing has.
    func page(_ resource: MockResource, offset: Int, limit: Int, since: Int64? = nil, before: Int64? = nil) -> (records: [RecordVersion], total: Int) {
        state.withLock { all in
            let log = all[resource]!
            let window = log.window(since: since, before: before)
            let liveBeforeWindow = log.live.liveBefore(window.lowerBound)
            let total = log.live.liveBefore(window.upperBound) - liveBeforeWindow
            guard offset < total else { return ([], total) }
            var records: [RecordVersion] = []
            records.reserveCapacity(min(limit, total - offset))
            var position = log.live.position(ofLive: liveBeforeWindow + offset)
            while records.count < limit, position < window.upperBound {
                let entry = log.entries[position]
                if log.current[entry.index] == position { records.append(entry) }
                position += 1
            }
            return (records, total)
        }
    }

    /// Gives record `index` a new version with `updated_at` = now (or just after the
    /// newest, so the order stays strict), moving it to the end of the listing.
    @discardableResult
    public func update(_ resource: MockResource, index: Int) -> RecordVersion {
        state.withLock { all in
            var log = all.removeValue(forKey: resource)!
            defer { all[resource] = log }
            let old = log.entries[log.current[index]]
            log.live.kill(log.current[index])
            let record = RecordVersion(index: index, version: old.version + 1, updatedAt: max(MockClock.nowMillis(), log.lastUpdatedAt + 1))
            log.append(record)
            return record
        }
    }

    /// Creates a new record at the end of the listing; returns its index.
    @discardableResult
    public func create(_ resource: MockResource) -> Int {
        state.withLock { all in
            var log = all.removeValue(forKey: resource)!
            defer { all[resource] = log }
            let index = log.current.count
            log.append(RecordVersion(index: index, version: 0, updatedAt: max(MockClock.nowMillis(), log.lastUpdatedAt + 1)))
            return index
        }
    }

    /// Every record's id and current rendered JSON: what a complete sync must end up with.
    public func currentRecords(_ resource: MockResource) -> [(id: String, json: [UInt8])] {
        let versions: [RecordVersion] = state.withLock { all in
            let log = all[resource]!
            return log.current.map { log.entries[$0] }
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
