import Logging
import PaystreamKafka
import PaystreamStore
import PaystreamMessageFormat

/// Where the sink starts reading each partition: where the store's offsets say, unless
/// they belong to another partition of the same name — a topic deleted and created again,
/// whose offsets start over at 0 and may already have grown past the stored one. The
/// broker's topic id tells (a new topic gets a new id); on brokers without ids, the
/// message at the store's fingerprint offset does.
struct PartitionStarts {
    let logger: Logger
    /// The longest each read of the probe waits for the broker.
    let timeout: Duration
    /// Reads messages at given offsets to check fingerprints (a short-lived reader).
    let probe: () throws -> KafkaPartitionReader

    /// Start offsets for `partitions` of topics as `described`, given the store's
    /// `checkpoints`; `stale` lists the partitions whose stored offsets no longer apply
    /// (the store must forget them): they start at the beginning.
    func resolve(
        _ partitions: [TopicPartition], described: [String: KafkaTopicDescription], checkpoints: [TopicPartition: PartitionCheckpoint]
    ) throws -> (starts: [TopicPartition: KafkaOffset], stale: [TopicPartition]) {
        var starts: [TopicPartition: KafkaOffset] = [:]
        var toVerify: [TopicPartition: MessageFingerprint] = [:]
        var recreated: [TopicPartition] = []
        for p in partitions {
            guard let checkpoint = checkpoints[p] else {
                starts[p] = .beginning
                continue
            }
            let currentID = described[p.topic]?.topicID  // nil: the broker has no ids
            if let stored = checkpoint.topicID, let currentID {
                if stored == currentID {
                    starts[p] = .exact(checkpoint.nextOffset)
                } else {
                    logger.warning("\(p) belongs to a recreated topic (topic id \(currentID), the store read \(stored)): reading it again from its beginning")
                    recreated.append(p)
                }
            } else if let fingerprint = checkpoint.fingerprint {
                toVerify[p] = fingerprint
                starts[p] = .exact(checkpoint.nextOffset)
            } else {
                // Written by a version that kept no identity: an offset past the end is
                // still caught (out of range) while reading.
                starts[p] = .exact(checkpoint.nextOffset)
            }
        }
        if !toVerify.isEmpty {
            for (p, same) in try verify(toVerify) where !same {
                let offset = toVerify[p].map { String($0.offset) } ?? "?"
                logger.warning("\(p) belongs to a recreated topic (the message at offset \(offset) is not the one the store read there): reading it again from its beginning")
                recreated.append(p)
            }
        }
        for p in recreated { starts[p] = .beginning }
        return (starts, recreated)
    }

    /// True for each partition whose message at the fingerprint's offset is the one
    /// fingerprinted. A message that is gone (compacted, expired) cannot prove anything:
    /// false, and the partition is read again from its start, which newest-wins makes safe.
    private func verify(_ fingerprints: [TopicPartition: MessageFingerprint]) throws -> [TopicPartition: Bool] {
        let reader = try probe()
        let ends = try reader.endOffsets(Array(fingerprints.keys), timeout: timeout)
        var verdicts: [TopicPartition: Bool] = [:]
        var pending: [TopicPartition: Int64] = [:]
        for (p, f) in fingerprints {
            if (ends[p] ?? 0) <= f.offset { verdicts[p] = false } else { pending[p] = f.offset }
        }
        let found = try reader.firstMessages(at: pending, timeout: timeout)
        for p in pending.keys {
            verdicts[p] = found[p].map { MessageFingerprint(of: $0) == fingerprints[p] } ?? false
        }
        return verdicts
    }
}
