import Foundation
import PaystreamKafka
import PaystreamMessageFormat
import TestSupport
import Testing

/// Waits on the broker that a caller can bound: commits whose answers are read later, and a
/// topic description that is given up when the caller says so.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct WaitsThatGiveUpTests {
    /// No broker listens there: librdkafka retries connecting for as long as it is asked to wait.
    static let nowhere = KafkaConsumerConfiguration(client: KafkaClientConfiguration(bootstrapServers: ["127.0.0.1:1"]), groupID: "nowhere")

    @Test func commitsSentWithoutWaitingAreAnsweredLater() async throws {
        let topic = try await KafkaFixtures.createTopic("pending-commits", partitions: 2)
        let configuration = try TestBroker.consumer(group: uniqueName("pending"))
        let p0 = KafkaTopicPartition(topic: topic, partition: 0), p1 = KafkaTopicPartition(topic: topic, partition: 1)
        let unanswered: Int = try await onThread {
            let consumer = try KafkaConsumer(configuration: configuration, logger: KafkaFixtures.logger)
            defer { try? consumer.close() }
            try consumer.assign([p0: .beginning, p1: .beginning])
            let commits = consumer.offsetCommitter.pendingCommits()
            try commits.send([p0: 3])
            try commits.send([p0: 5, p1: 2])
            let failures = commits.takeFailures(waitingUntil: .now + .seconds(20))
            #expect(failures.isEmpty, "\(failures)")
            return commits.unanswered
        }
        #expect(unanswered == 0)
        let committed = try await KafkaFixtures.committedOffsets(group: configuration.groupID, topics: [topic])
        #expect(committed[p0] == 5 && committed[p1] == 2, "\(committed)")
    }

    @Test func commitsToNoBrokerAreLeftUnansweredAtTheDeadline() async throws {
        let tp = KafkaTopicPartition(topic: "t", partition: 0)
        let (unanswered, waited): (Int, Duration) = try await onThread {
            let consumer = try KafkaConsumer(configuration: Self.nowhere, logger: KafkaFixtures.logger)
            defer { try? consumer.close() }
            try consumer.assign([tp: .beginning])
            let commits = consumer.offsetCommitter.pendingCommits()
            try commits.send([tp: 1])
            let started = ContinuousClock.now
            _ = commits.takeFailures(waitingUntil: .now + .seconds(1))
            return (commits.unanswered, .now - started)
        }
        #expect(unanswered == 1)
        #expect(waited < .seconds(10), "the wait ends at its deadline, not the commit's")
    }

    @Test func describingTopicsEndsWhenTheCallerGivesUp() async throws {
        let error: (any Error)? = try await onThread {
            let consumer = try KafkaConsumer(configuration: Self.nowhere, logger: KafkaFixtures.logger)
            defer { try? consumer.close() }
            let asked = ContinuousClock.now
            do {
                _ = try consumer.describeTopics(["t"], timeout: .seconds(60), giveUp: { .now - asked > .milliseconds(300) })
                return nil
            } catch {
                return error
            }
        }
        #expect((error as? KafkaError)?.code == "_INTR", "\(String(describing: error))")
    }
}
