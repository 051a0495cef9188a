import PaystreamConfig

/// A part of a sync that one fetcher runs at a time: a whole resource, or one slice of a
/// resource whose config asks for slices (the `x-paystream-slices` column hint).
public struct WorkUnit: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let resource: String
    /// 0 ..< `slices`.
    public let slice: Int
    public let slices: Int

    public init(resource: String, slice: Int = 0, slices: Int = 1) {
        self.resource = resource
        self.slice = slice
        self.slices = slices
    }

    /// The units of every resource given, in config order.
    public static func all(_ resources: [ResourceConfig]) -> [WorkUnit] {
        resources.flatMap { r in (0..<r.slices).map { WorkUnit(resource: r.name, slice: $0, slices: r.slices) } }
    }

    /// The key of its checkpoint on the state topic: the resource's name, or for a slice
    /// `<resource>#<slice>` (the resource's name then keys the sliced round's record).
    public var id: String { slices == 1 ? resource : "\(resource)#\(slice)" }

    public var isSlice: Bool { slices > 1 }

    /// The partition of the resource's work topic that stands for this unit in a group.
    public var workPartition: Int32 { Int32(slice) }

    public var description: String { id }

    public static func < (a: Self, b: Self) -> Bool { (a.resource, a.slice) < (b.resource, b.slice) }
}
