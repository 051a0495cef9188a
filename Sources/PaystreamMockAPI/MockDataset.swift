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
    public let options: MockListingOptions
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
        /// The write's place in the resource's history (1-based): the `sequence` cursor.
        public var sequence: Int64 = 0
    }

    /// One end of a filtered listing, in the cursor format's terms.
    enum Bound {
        case millis(Int64)
        case sequence(Int64)
    }

    /// Entries in `updated_at` order (ties by index); dead entries are older versions.
    struct ResourceLog {
        var entries: [RecordVersion] = []
        var live = LiveIndex()
        /// Per record index, its live entry's position.
        var current: [Int] = []
        var lastUpdatedAt: Int64 = 0

        mutating func append(_ record: RecordVersion) {
            var record = record
            record.sequence = Int64(entries.count + 1)
            entries.append(record)
            let position = live.append()
            if record.index == current.count { current.append(position) } else { current[record.index] = position }
            lastUpdatedAt = max(lastUpdatedAt, record.updatedAt)
        }

        /// Entries with `since <= cursor < before`, as a position range.
        func window(since: Bound?, before: Bound?) -> Range<Int> {
            let lo = since.map(firstPosition(atOrAfter:)) ?? 0
            let hi = before.map(firstPosition(atOrAfter:)) ?? entries.count
            return lo..<max(lo, hi)
        }

        private func firstPosition(atOrAfter bound: Bound) -> Int {
            switch bound {
            case .millis(let m): firstPosition { $0.updatedAt >= m }
            case .sequence(let s): Int(min(max(0, s - 1), Int64(entries.count)))
            }
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

    public init(seed: UInt64, recordsPerResource: Int, prerender: Bool = false, options: MockListingOptions = MockListingOptions()) {
        self.seed = seed
        self.options = options
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
            var sorted = initial.sorted(by: { ($0.updatedAt, $0.index) < ($1.updatedAt, $1.index) })
            if options.tieGroups > 0 { Self.formTies(&sorted, upTo: options.tieGroups, seed: seed, resource: resource) }
            for record in sorted {
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
                    renderer.render(resource, log.entries[log.current[index]], format: options.cursorFormat, into: &json)
                    records.bytes += json.bytes
                    records.ends.append(records.bytes.count)
                }
                rendered[resource] = records
            }
        }
        prerendered = rendered
    }

    /// Gives consecutive records (in listing order) one shared second, in groups of 1 to
    /// `size`, each group in a second of its own.
    private static func formTies(_ records: inout [RecordVersion], upTo size: Int, seed: UInt64, resource: MockResource) {
        var random = MockRandom(seed: seed, resource: resource, index: Int.max)
        var i = 0
        var previous = Int64.min
        while i < records.count {
            let group = 1 + random.below(size)
            let second = max(records[i].updatedAt / 1000 * 1000, previous == .min ? .min : previous + 1000)
            for j in i..<min(records.count, i + group) { records[j].updatedAt = second }
            previous = second
            i += group
        }
    }

    /// Appends a record's JSON to a page being built; `servedAt` is the volatile field's value.
    func append(_ resource: MockResource, _ record: RecordVersion, servedAt: String?, to json: inout MockJSONBuilder) {
        // Records created after start have version 0 too, but no prerendered body.
        if record.version == 0, let cached = prerendered[resource], record.index < cached.ends.count {
            json.raw(cached.record(record.index))
        } else {
            renderer.render(resource, record, format: options.cursorFormat, into: &json)
        }
        if let field = options.volatileField, let servedAt { json.appendMember(field, servedAt) }
    }

    public func count(_ resource: MockResource) -> Int {
        state.withLock { $0[resource]!.current.count }
    }

    /// One page of the listing in `updated_at` order, optionally limited to
    /// `since <= cursor < before`, and how many records the (filtered) listing has. With
    /// ties, records sharing a cursor value come in a new order on every call.
    func page(_ resource: MockResource, offset: Int, limit: Int, since: Bound? = nil, before: Bound? = nil) -> (records: [RecordVersion], total: Int) {
        state.withLock { all in
            let log = all[resource]!
            let window = log.window(since: since, before: before)
            let liveBeforeWindow = log.live.liveBefore(window.lowerBound)
            let total = log.live.liveBefore(window.upperBound) - liveBeforeWindow
            guard offset < total else { return ([], total) }
            let wanted = min(limit, total - offset)
            guard options.tieGroups > 0 else {
                return (live(log, fromRank: liveBeforeWindow + offset, count: wanted), total)
            }
            // Widen the page to whole tie groups, shuffle each group, cut the page out again.
            let format = options.cursorFormat
            var lo = offset, hi = offset + wanted
            func key(_ k: Int) -> Int64 { format.tieKey(log.entries[log.live.position(ofLive: liveBeforeWindow + k)]) }
            while lo > 0, key(lo - 1) == key(offset) { lo -= 1 }
            while hi < total, key(hi) == key(hi - 1) { hi += 1 }
            var widened = live(log, fromRank: liveBeforeWindow + lo, count: hi - lo)
            var start = 0
            while start < widened.count {
                var end = start + 1
                while end < widened.count, format.tieKey(widened[end]) == format.tieKey(widened[start]) { end += 1 }
                widened[start..<end].shuffle()
                start = end
            }
            return (Array(widened[(offset - lo)..<(offset - lo + wanted)]), total)
        }
    }

    /// `count` live entries from the live entry of rank `rank` on.
    private func live(_ log: ResourceLog, fromRank rank: Int, count: Int) -> [RecordVersion] {
        var records: [RecordVersion] = []
        records.reserveCapacity(count)
        var position = log.live.position(ofLive: rank)
        while records.count < count, position < log.entries.count {
            let entry = log.entries[position]
            if log.current[entry.index] == position { records.append(entry) }
            position += 1
        }
        return records
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
            log.append(RecordVersion(index: index, version: old.version + 1, updatedAt: max(MockClock.nowMillis(), log.lastUpdatedAt + 1)))
            return log.entries[log.entries.count - 1]
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
        renderer.render(resource, record, format: options.cursorFormat, into: &json)
        return json.bytes
    }
}
