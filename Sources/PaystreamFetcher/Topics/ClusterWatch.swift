import PaystreamKafka
import Synchronization

/// Follows the cluster while a fetcher runs: whether it answers, and whether the topics the
/// fetcher created are still the ones it created. A broker that came back without its data,
/// or topics deleted meanwhile, leave names that are missing or carry a new topic id; the
/// fetcher's checkpoints and transactions belonged to the old ones (`TopicsLost`).
final class ClusterWatch: Sendable {
    private let admin: KafkaAdmin
    private let known: [String: KafkaTopicDescription]
    private let kafka: KafkaClientConfiguration
    private let interval: Duration
    private let unreachableSince = Mutex<ContinuousClock.Instant?>(nil)

    /// `known`: the topics as described right after they were created.
    init(admin: KafkaAdmin, known: [String: KafkaTopicDescription], kafka: KafkaClientConfiguration, interval: Duration = .seconds(2)) {
        self.admin = admin
        self.known = known
        self.kafka = kafka
        self.interval = interval
    }

    /// Looks every `interval` until cancelled. Throws `TopicsLost` when a known topic is gone
    /// or was created again; with `givingUpUnreachable` (`--once`), `ClusterUnreachable` once
    /// the cluster has not answered for the broker timeout.
    func run(givingUpUnreachable: Bool) async throws {
        while true {
            try await Task.sleep(for: interval)
            let described: [String: KafkaTopicDescription]
            do {
                described = try await admin.describeTopics(Array(known.keys), timeout: min(kafka.brokerTimeout, .seconds(5)))
            } catch {
                let since = unreachableSince.withLock { since in
                    if since == nil { since = .now }
                    return since!
                }
                if givingUpUnreachable, ContinuousClock.now - since >= kafka.brokerTimeout {
                    throw ClusterUnreachable(servers: kafka.servers, timeout: kafka.brokerTimeout, error: error)
                }
                continue
            }
            unreachableSince.withLock { $0 = nil }
            let lost = known.filter { name, before in
                guard let now = described[name] else { return true }
                // A broker without topic ids can only tell a topic that is missing.
                guard let id = before.topicID, let newID = now.topicID else { return false }
                return id != newID
            }
            if !lost.isEmpty { throw TopicsLost(topics: lost.keys.sorted(), servers: kafka.servers) }
        }
    }
}

/// Topics the fetcher created are gone or were created again, with everything they held.
struct TopicsLost: Error, CustomStringConvertible {
    var topics: [String]
    var servers: String

    var description: String {
        "the Kafka cluster at \(servers) lost topics the fetcher created (deleted, or a broker that came back without its data): \(topics.joined(separator: ", "))"
    }
}

/// The cluster did not answer for the broker timeout.
struct ClusterUnreachable: Error, CustomStringConvertible {
    var servers: String
    var timeout: Duration
    var error: any Error

    var description: String {
        "the Kafka cluster at \(servers) did not answer for \(timeout) (--broker-timeout): \(error)"
    }
}
