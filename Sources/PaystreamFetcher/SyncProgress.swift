import Logging
import PaystreamBasics
import Synchronization

/// Pages and records published per resource, for the periodic progress log.
final class SyncProgress: Sendable {
    private struct Counts {
        var pages = 0
        var records = 0
    }

    private let counts = Mutex<[String: Counts]>([:])
    private let lastReport = Mutex<(at: ContinuousClock.Instant, records: [String: Int])>((.now, [:]))

    func add(resource: String, pages: Int, records: Int) {
        counts.withLock {
            $0[resource, default: Counts()].pages += pages
            $0[resource, default: Counts()].records += records
        }
    }

    /// Logs each resource's totals and its rate since the last report, for resources that
    /// published something since then.
    func report(_ logger: Logger) {
        let now = ContinuousClock.now
        let snapshot = counts.withLock { $0 }
        let (at, previous) = lastReport.withLock { last in
            defer { last = (now, snapshot.mapValues(\.records)) }
            return last
        }
        let elapsed = now - at
        let seconds = elapsed.seconds
        // Only resources that moved since the last report: an idle daemon stays quiet.
        for (resource, c) in snapshot.sorted(by: { $0.key < $1.key }) where c.records != previous[resource] {
            let rate = seconds > 0 ? Int(Double(c.records - (previous[resource] ?? 0)) / seconds) : 0
            logger.info("progress", metadata: [
                "paystream.resource": "\(resource)", "pages": "\(c.pages)", "records": "\(c.records)", "records_per_second": "\(rate)",
            ])
        }
    }
}
