import PaystreamBasics

/// Deterministic pseudo-random values: the same (seed, resource, index, field) always give
/// the same value, so the data set is reproducible without being stored.
struct MockRandom {
    private var generator: SplitMix64

    init(seed: UInt64, resource: MockResource, index: Int, version: UInt32 = 0) {
        var h = seed &* 0x9E37_79B9_7F4A_7C15
        for b in resource.rawValue.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        generator = SplitMix64(seed: h ^ (UInt64(index) &* 0xBF58_476D_1CE4_E5B9) ^ (UInt64(version) << 48))
    }

    mutating func next() -> UInt64 { generator.next() }

    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }

    mutating func pick<T>(_ options: [T]) -> T { options[below(options.count)] }

    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
}
