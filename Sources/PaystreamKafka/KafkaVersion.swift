import CRDKafka

public enum KafkaVersion {
    /// The version of the librdkafka actually loaded at run time (not the headers compiled
    /// against): Debian's 2.0.2 shares the SONAME and cannot talk to every broker.
    public static var linkedLibrary: String { String(cString: rd_kafka_version_str()) }

    /// True when the loaded librdkafka is at least `major.minor`.
    public static func isAtLeast(_ major: Int, _ minor: Int) -> Bool {
        let v = rd_kafka_version()  // 0xMMmmrrxx
        let (m, n) = (Int(v >> 24) & 0xFF, Int(v >> 16) & 0xFF)
        return m > major || (m == major && n >= minor)
    }
}
