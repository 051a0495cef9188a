import Logging
import PaystreamKafka
import PaystreamSource

/// What every unit runner of one fetcher shares.
struct UnitContext: Sendable {
    let configuration: FetcherConfiguration
    let states: StateTopicReader
    let stateLayout: StateTopicLayout
    let client: RESTClient
    let progress: SyncProgress
    let schedule: RoundSchedule
    /// Without transactions, every unit publishes through this one idempotent producer.
    let sharedProducer: KafkaProducer?
    let logger: Logger
}
