import PaystreamCommandSupport
import PaystreamKafka

extension PaystreamVersion {
    /// For `--version` of the commands that use Kafka: Paystream's version and the
    /// librdkafka actually loaded.
    public static var withLibrdkafka: String { "\(number) (librdkafka \(KafkaVersion.linkedLibrary))" }
}
