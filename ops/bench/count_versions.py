"""Counts what a read_committed reader sees on a topic: messages, and distinct record
versions (key and value). Uses confluent-kafka (its own librdkafka), independent of Paystream.
Usage: count_versions.py BROKERS TOPIC  ->  prints "messages versions"."""
import hashlib
import sys
import time

from confluent_kafka import Consumer, TopicPartition

brokers, topic = sys.argv[1], sys.argv[2]
consumer = Consumer({"bootstrap.servers": brokers, "group.id": "paystream-bench-count",
                     "isolation.level": "read_committed", "enable.partition.eof": True,
                     "enable.auto.commit": False})
partitions = list(consumer.list_topics(topic, timeout=10).topics[topic].partitions)
consumer.assign([TopicPartition(topic, p, 0) for p in partitions])
messages, versions, ended = 0, set(), set()
deadline = time.time() + 300
while len(ended) < len(partitions) and time.time() < deadline:
    for m in consumer.consume(10000, 1.0):
        if m.error():
            ended.add(m.partition())
            continue
        messages += 1
        versions.add(hashlib.blake2b((m.key() or b"") + b"\0" + (m.value() or b""), digest_size=16).digest())
consumer.close()
if len(ended) < len(partitions):
    sys.exit(f"{topic}: not read to its end within 300 s")
print(messages, len(versions))
