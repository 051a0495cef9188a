/// Deterministic pseudo-random values: the same (seed, resource, index, field) always give
/// the same value, so the data set is reproducible without being stored.
struct MockRandom {
    private var state: UInt64

    init(seed: UInt64, resource: MockResource, index: Int, version: UInt32 = 0) {
        var h = seed &* 0x9E37_79B9_7F4A_7C15
        for b in resource.rawValue.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        state = h ^ (UInt64(index) &* 0xBF58_476D_1CE4_E5B9) ^ (UInt64(version) << 48)
    }

    /// SplitMix64.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }

    mutating func pick<T>(_ options: [T]) -> T { options[below(options.count)] }

    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
}
