/// Counts live entries in an append-only log, to find "the k-th live entry" in O(log n).
/// The mock API lists records in `updated_at` order: an update appends a new entry and
/// kills the old one, so a listing moves exactly as a real API's does under writes.
struct LiveIndex {
    private var tree: [Int32] = [0]
    private(set) var count = 0

    /// Appends an entry (live) and returns its position.
    mutating func append() -> Int {
        if count + 1 >= tree.count { grow() }
        count += 1
        add(count - 1, 1)
        return count - 1
    }

    mutating func kill(_ position: Int) { add(position, -1) }

    /// Live entries before `position`.
    func liveBefore(_ position: Int) -> Int {
        var i = position
        var sum = 0
        while i > 0 {
            sum += Int(tree[i])
            i -= i & -i
        }
        return sum
    }

    /// Position of the k-th (0-based) live entry, or `count` if there is none.
    func position(ofLive k: Int) -> Int {
        var pos = 0
        var remaining = k + 1
        var step = 1
        while step * 2 < tree.count { step *= 2 }
        while step > 0 {
            if pos + step < tree.count && Int(tree[pos + step]) < remaining {
                pos += step
                remaining -= Int(tree[pos])
            }
            step /= 2
        }
        return pos < count ? pos : count
    }

    private mutating func add(_ position: Int, _ delta: Int32) {
        var i = position + 1
        while i < tree.count {
            tree[i] += delta
            i += i & -i
        }
    }

    /// Doubles the capacity, rebuilding the tree from the live flags it encodes.
    private mutating func grow() {
        let live = (0..<count).map { liveBefore($0 + 1) - liveBefore($0) }
        tree = [Int32](repeating: 0, count: max(16, tree.count * 2))
        for (i, flag) in live.enumerated() where flag != 0 { add(i, Int32(flag)) }
    }
}
