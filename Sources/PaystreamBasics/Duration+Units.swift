extension Duration {
    /// Seconds as a floating-point number, for rates, waits and display.
    public var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }

    /// Whole milliseconds (cut towards zero), as librdkafka's `*.ms` properties want them.
    public var milliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }

    /// Whole nanoseconds (cut towards zero), as NIO's timers and swift-metrics' timers want them.
    public var nanoseconds: Int64 { components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000 }
}
