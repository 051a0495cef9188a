import Logging
import PaystreamBasics
import PaystreamKafka

/// Keeps one unit worked on while this fetcher owns it: a runner per claim, and a new
/// claim after Kafka failed (backing off), until the unit is done, let go, or taken over.
/// Under `--once` a unit that cannot reach the cluster within the broker timeout fails the
/// run instead (`UnitFailures`): a daemon keeps trying.
struct UnitWorker: Sendable {
    let unit: WorkUnit
    let context: UnitContext
    let stop: StopRequest

    func run() async {
        var logger = context.logger
        logger[metadataKey: "paystream.unit"] = "\(unit.id)"
        var backoff = Duration.seconds(1)
        while !Task.isCancelled {
            do {
                try await UnitRunner(unit: unit, context: context, stop: stop).run()
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
                let reason = "publishing to the Kafka cluster at \(context.configuration.kafka.servers) failed: \(error)"
                context.health.failed(unit, reason)
                FetcherMetrics.syncFinished(resource: unit.resource, succeeded: false)
                if case .once = context.schedule {
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
}
