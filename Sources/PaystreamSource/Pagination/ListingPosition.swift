/// Where a listing stands after a page: a small value that can be saved (it is `Codable`)
/// so that a reader can stop after any page and another resume from there, asking the API
/// for nothing it already handed on.
public enum ListingPosition: Codable, Sendable, Equatable {
    /// Offset paging: the next offset and what proves the next page joins this one.
    case offset(OffsetPosition)
    /// `page_number`: the next page and the size of a full page.
    case pageNumber(next: Int, fullPageSize: Int?)
    /// `cursor`: the cursor that asks for the next page.
    case cursor(next: String)
    /// `json_link` / `header_link`: the next page's URL, without credentials.
    case link(next: String)
    /// The listing was read to its end.
    case finished
}

/// The offset walker's position (see `OffsetWalker`).
public struct OffsetPosition: Codable, Sendable, Equatable {
    /// The next page's offset.
    public var offset: Int
    /// The most records the API has served in one page (it may cap `limit`); nil before the
    /// first page.
    public var pageSize: Int?
    /// The listing's total, as the API last gave it.
    public var total: Int?
    /// The last records of the last page: the next page must hold one of them, or the
    /// listing moved by more than the pages overlap.
    var tail: [RecordMark] = []
    /// Whether the listing is ordered by the records' version field (then a page must not
    /// begin inside the last page's final group of equal versions, whose order may change).
    var order = VersionSequence()

    public init(offset: Int) {
        self.offset = offset
    }
}

/// How the version fields run within the pages seen so far: ascending, descending or
/// neither. (Across a page boundary the overlap goes back, so only steps within a page count.)
struct VersionSequence: Codable, Sendable, Equatable {
    var risesSeen = false
    var fallsSeen = false
    /// The version of the last record of the last page.
    var last: VersionOrder?

    /// True when every step so far went one way (ties aside).
    var isOrdered: Bool { risesSeen != fallsSeen }

    mutating func note(page marks: [RecordMark]) {
        guard !marks.isEmpty else { return }
        for i in 1..<marks.count {
            guard let a = marks[i - 1].version, let b = marks[i].version else {
                // A record without an orderable version: the listing is not known to be ordered.
                risesSeen = true
                fallsSeen = true
                continue
            }
            if a < b { risesSeen = true } else if b < a { fallsSeen = true }
        }
        last = marks[marks.count - 1].version
    }
}
