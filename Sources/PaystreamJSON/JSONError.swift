/// Why a JSON document could not be read, and where (a byte offset into the document).
public struct JSONError: Error, CustomStringConvertible, Sendable, Equatable {
    public var reason: String
    public var offset: Int

    public init(_ reason: String, at offset: Int) {
        self.reason = reason
        self.offset = offset
    }

    public var description: String { "invalid JSON at byte \(offset): \(reason)" }
}
