#!/usr/bin/env python3
"""Rules for docker-compose.yml beyond what Compose's parser checks, applied to the model it
resolved (`docker compose config --format json`): what a production-shaped deployment of
Paystream needs. Prints each broken rule; exits 1 if any.
usage: check-compose.py MODEL.json"""
import json, re, sys

model = json.load(open(sys.argv[1]))
services = model.get("services", {})
problems = []

def duration_seconds(text):
    # Compose resolves durations to Go syntax, e.g. "1m15s" or "40s".
    total = 0.0
    for number, unit in re.findall(r"([0-9.]+)(ms|h|m|s)", text or ""):
        total += float(number) * {"h": 3600, "m": 60, "s": 1, "ms": 0.001}[unit]
    return total

def command_of(service):
    return (service.get("entrypoint") or []) + (service.get("command") or [])

# Each Paystream service's own bound from SIGTERM to exit: its service group's limit
# (CommandRuntime.run's shutdownWithin) and the second its watchdog allows after it.
shutdown_seconds = {"paystream-fetcher": 10, "paystream-sink": 10, "paystream-mock-api": 6}

for name, service in services.items():
    if not service.get("healthcheck") or service["healthcheck"].get("disable"):
        problems.append(f"{name}: no healthcheck")
    if service.get("restart") not in ("always", "unless-stopped", "on-failure"):
        problems.append(f"{name}: no restart policy")
    command = command_of(service)
    binary = next((c for c in command if c in shutdown_seconds), None)
    grace = service.get("stop_grace_period")
    if not grace:
        problems.append(f"{name}: no stop_grace_period (Docker's default of 10 s, then SIGKILL)")
    elif binary and duration_seconds(grace) <= shutdown_seconds[binary]:
        problems.append(f"{name}: stop_grace_period {grace} does not cover {binary}'s own {shutdown_seconds[binary]} s shutdown")
    if binary in ("paystream-fetcher", "paystream-sink") and "--http-address" not in command:
        problems.append(f"{name}: {binary} without --http-address: nothing to probe or scrape")

kafka = next((s for s in services.values() if "kafka" in (s.get("image") or "")), None)
if kafka is None:
    problems.append("no Kafka service")
else:
    env = kafka.get("environment") or {}
    log_dirs = env.get("KAFKA_LOG_DIRS")
    mounts = [v.get("target") for v in kafka.get("volumes") or []]
    if not log_dirs or not any(log_dirs == m or log_dirs.startswith(m.rstrip("/") + "/") for m in mounts):
        problems.append(f"kafka: KAFKA_LOG_DIRS ({log_dirs}) is not on a mounted volume ({mounts}): topics and cursors would die with the container")
    if not env.get("CLUSTER_ID"):
        problems.append("kafka: no explicit CLUSTER_ID")
    if not kafka.get("ports"):
        problems.append("kafka: no port published for tools on the host")

for p in problems:
    print(f"docker-compose.yml: {p}")
sys.exit(1 if problems else 0)
