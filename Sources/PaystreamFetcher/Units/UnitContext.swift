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
    let sharedProducer: SharedProducer?
    /// Which units cannot publish, for readiness.
    let health: PublishingHealth
    /// `--once`: units that could not reach the cluster, which end the run.
    let failures: UnitFailures
    let logger: Logger
}
