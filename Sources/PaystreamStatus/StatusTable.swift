import PaystreamFetcher

/// `paystream-status` for people: a line per resource, then (with a store) a line per
/// partition and the total lag.
public enum StatusTable {
    public static func render(_ status: PipelineStatus) -> String {
        var out = ["Kafka \(status.brokers.joined(separator: ",")) · topics \(status.topicPrefix).<resource> · state in \(status.stateTopic)", ""]
        out += table([["resource", "topic", "messages", "cursor", "last completed sync", "newest sync"]] + status.resources.map { r in
            let last = r.lastCompletedSync.map { time in
                (r.lastCompletedRound.map { "#\($0) at " } ?? "") + time + (r.lastSyncRecords.map { ", \($0) records" } ?? "")
            } ?? "none recorded"
            return [r.name, r.topicExists ? r.topic : "\(r.topic) (missing)", String(r.messages), r.cursor ?? "-", last, describe(r.currentSync)]
        }, rightAligned: [2])
        for r in status.resources {
            for error in r.currentSync?.errors ?? [] { out.append("\(r.name) sync \(r.currentSync!.round) failed: \(error)") }
        }
        if status.resources.contains(where: { $0.cursor == nil }) {
            out.append("(a resource without `incremental` keeps no cursor; a sync that fails moves no cursor: its error is listed here)")
        }
        if let store = status.store {
            out += ["", "Store \(store.path): lag \(store.lag) message(s)"]
            out += table([["topic", "partition", "end", "stored offset", "lag"]] + store.partitions.map { p in
                [p.topic, String(p.partition), String(p.end), p.storedOffset.map(String.init) ?? "-", String(p.lag)]
            }, rightAligned: [1, 2, 3, 4])
        }
        return out.joined(separator: "\n")
    }

    private static func describe(_ sync: SyncStatus?) -> String {
        guard let sync else { return "-" }
        let slices = sync.units > 1 ? " (\(sync.unitsDone)/\(sync.units) slices done)" : ""
        return "#\(sync.round) \(sync.result.rawValue)\(slices)" + (sync.updatedAt.map { " at \($0)" } ?? "")
    }

    private static func table(_ rows: [[String]], rightAligned: Set<Int>) -> [String] {
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { column, cell in
                let pad = String(repeating: " ", count: widths[column] - cell.count)
                return rightAligned.contains(column) ? pad + cell : (column == row.count - 1 ? cell : cell + pad)
            }.joined(separator: "  ")
        }
    }
}
