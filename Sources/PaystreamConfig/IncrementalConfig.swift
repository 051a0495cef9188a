/// dlt's `incremental`: sync only records whose cursor field moved past the last run's.
public struct IncrementalConfig: Sendable, Equatable {
    /// Where the cursor value is in each record, e.g. `updated_at`.
    public var cursorPath: String
    /// Query parameter that carries the start value to the API.
    public var startParam: String?
    /// Query parameter that carries the pinned end of the window.
    public var endParam: String?
    public var initialValue: String?
    public var endValue: String?
    /// Seconds subtracted from the stored cursor when a run starts, to re-read late writes.
    public var lag: Double

    init(_ value: ConfigValue, at path: String) throws(ConfigError) {
        var r = try ConfigReader(value, at: path)
        cursorPath = try r.requiredString("cursor_path")
        startParam = try r.string("start_param")
        endParam = try r.string("end_param")
        initialValue = try r.string("initial_value")
        endValue = try r.string("end_value")
        lag = try r.double("lag") ?? 0
        try r.finish()
    }
}
