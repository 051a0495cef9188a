import CRDKafka

public enum KafkaVersion {
    /// The version of the librdkafka actually loaded at run time (not the headers compiled
    /// against): Debian's 2.0.2 shares the SONAME and cannot talk to every broker.
    public static var linkedLibrary: String { String(cString: rd_kafka_version_str()) }
}
