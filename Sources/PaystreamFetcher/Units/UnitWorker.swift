import Logging
import PaystreamBasics
import PaystreamKafka

/// Keeps one unit worked on while this fetcher owns it: a runner per claim, and a new
/// claim after Kafka failed (backing off), until the unit is done, let go, or taken over.
/// Under `--once` a unit whose claims fail `onceAttempts` times in a row, without a commit
/// between them, fails the run instead (`UnitFailures`): each attempt is bounded by the
/// broker timeout, so the run ends; a daemon keeps trying.
struct UnitWorker: Sendable {
    let unit: WorkUnit
    let context: UnitContext
    let stop: StopRequest

    func run() async {
        var logger = context.logger
        logger[metadataKey: "paystream.unit"] = "\(unit.id)"
        var backoff = Duration.seconds(1)
        var failedAttempts = 0
        while !Task.isCancelled {
            var runner: UnitRunner?
            do {
                runner = try UnitRunner(unit: unit, context: context, stop: stop)
                try await runner!.run()
                return
            } catch where Task.isCancelled {
                // Stopped: whatever the interrupted call threw, the worker is done.
                return
            } catch KafkaTransactionError.fenced {
                guard context.configuration.group != nil else {
                    logger.notice("another fetcher now works on this unit (it fenced this one's transactions); letting go")
                    return
                }
                // The group still gives the unit to this member, yet another fetcher claimed it:
                // a member that was paused past its session, whose own group membership has not
                // noticed yet. It does within a session timeout and stops; only then claim back.
                logger.warning("another fetcher claimed this unit, which the group gives to this member (a paused member that resumed?); claiming it back in \(context.configuration.sessionTimeout) unless the group moves it")
                try? await Task.sleep(for: context.configuration.sessionTimeout)
            } catch {
                let reason = Self.isKafkaFailure(error)
                    ? "publishing to the Kafka cluster at \(context.configuration.kafka.servers) failed: \(error)" : "\(error)"
                context.health.failed(unit.id, reason)
                FetcherMetrics.syncFinished(resource: unit.resource, succeeded: false)
                failedAttempts = runner?.hasCommitted == true ? 1 : failedAttempts + 1
                if case .once = context.schedule, failedAttempts >= Self.onceAttempts {
                    logger.error("unit stopped: \(reason)")
                    context.failures.record(unit, reason)
                    return
                }
                logger.error("unit stopped: \(reason); claiming it again in \(backoff)")
                try? await Task.sleep(for: backoff)
                backoff = min(backoff * 2, .seconds(30))
            }
        }
    }

    /// A failure of the cluster (or of the state topic on it), as opposed to a failure of the
    /// unit's own set-up (its window cannot be sliced, say).
    static func isKafkaFailure(_ error: any Error) -> Bool {
        error is KafkaError || error is KafkaTransactionError || error is CommitTimeout || error is StateTopicError
    }

    /// Claims a `--once` unit makes before the cluster's failures fail the run: one more
    /// than a transient condition needs (a leader moving, a transaction of another unit
    /// holding a partition's stable offset back a while).
    static let onceAttempts = 3
}
