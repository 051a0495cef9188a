import Foundation
import PaystreamSource

/// JSON with snake_case keys; 64-bit hashes as hex strings (JSON readers in other languages
/// lose 64-bit integers). A value without `round` is a cursor state from before fetcher
/// groups: read as a completed round 0 with that cursor.
extension UnitCheckpoint: Codable {
    enum CodingKeys: String, CodingKey {
        case round, run, status, window, position, progress, published, error, slices
        case scanFrom = "scan_from"
        case updatedAt = "updated_at"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let saved = try? CursorState(from: decoder)
        guard c.contains(.round) else {
            guard let saved else { throw DecodingError.keyNotFound(CodingKeys.round, .init(codingPath: [], debugDescription: "neither a checkpoint nor a cursor state")) }
            self.init(round: 0, run: 0, status: .completed, updatedAt: saved.completedAt)
            self.saved = saved
            return
        }
        self.init(
            round: try c.decode(Int.self, forKey: .round), run: try c.decode(Int.self, forKey: .run),
            status: try c.decode(Status.self, forKey: .status), updatedAt: try c.decode(String.self, forKey: .updatedAt)
        )
        self.saved = saved
        window = try c.decodeIfPresent(IncrementalWindow.self, forKey: .window)
        position = try c.decodeIfPresent(ListingPosition.self, forKey: .position)
        progress = try c.decodeIfPresent(CursorProgress.self, forKey: .progress)
        published = try c.decodeIfPresent(Int.self, forKey: .published) ?? 0
        scanFrom = try c.decodeIfPresent([String: Int64].self, forKey: .scanFrom).map { map in
            Dictionary(uniqueKeysWithValues: map.compactMap { k, v in Int32(k).map { ($0, v) } })
        }
        error = try c.decodeIfPresent(String.self, forKey: .error)
        slices = try c.decodeIfPresent(Int.self, forKey: .slices)
    }

    public func encode(to encoder: any Encoder) throws {
        try saved?.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(round, forKey: .round)
        try c.encode(run, forKey: .run)
        try c.encode(status, forKey: .status)
        try c.encodeIfPresent(window, forKey: .window)
        try c.encodeIfPresent(position, forKey: .position)
        try c.encodeIfPresent(progress, forKey: .progress)
        try c.encode(published, forKey: .published)
        try c.encodeIfPresent(scanFrom.map { Dictionary(uniqueKeysWithValues: $0.map { (String($0.key), $0.value) }) }, forKey: .scanFrom)
        try c.encodeIfPresent(error, forKey: .error)
        try c.encode(updatedAt, forKey: .updatedAt)
        try c.encodeIfPresent(slices, forKey: .slices)
    }
}

extension IncrementalWindow: Codable {
    enum CodingKeys: String, CodingKey {
        case start, end, pinned, bounded, boundary, initial
    }

    struct BoundaryJSON: Codable {
        var value: CursorValue
        var hashes: [String]
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let boundary = try c.decodeIfPresent(BoundaryJSON.self, forKey: .boundary).map {
            Boundary(value: $0.value, hashes: Set($0.hashes.compactMap { UInt64($0, radix: 16) }))
        }
        self.init(
            start: try c.decodeIfPresent(CursorValue.self, forKey: .start), end: try c.decodeIfPresent(CursorValue.self, forKey: .end),
            pinned: try c.decode(RFC3339.Instant.self, forKey: .pinned), isBounded: try c.decode(Bool.self, forKey: .bounded),
            boundary: boundary, initial: try c.decodeIfPresent(CursorValue.self, forKey: .initial)
        )
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(start, forKey: .start)
        try c.encodeIfPresent(end, forKey: .end)
        try c.encode(pinned, forKey: .pinned)
        try c.encode(isBounded, forKey: .bounded)
        try c.encodeIfPresent(boundary.map { BoundaryJSON(value: $0.value, hashes: $0.hashes.sorted().map { String($0, radix: 16) }) }, forKey: .boundary)
        try c.encodeIfPresent(initial, forKey: .initial)
    }
}

extension UnitCheckpoint {
    /// The JSON written to the state topic.
    func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return Array(try encoder.encode(self))
    }
}
