"""dlt's rest_api_source with the seed's config, run against the mock API: the peer that
ops/bench-fetcher compares Paystream's fetcher with. Prints `records seconds`.

dlt extracts into its local pipeline folder (its normal first step, before any
destination); Paystream's figure includes publishing to Kafka with broker acks, so the
comparison is, if anything, generous to dlt."""
import os, sys, tempfile, time

import dlt
from dlt.sources.rest_api import rest_api_source

RESOURCES = ["customers", "invoices", "charges", "subscriptions", "refunds"]
config = {
    "client": {
        "base_url": os.environ["PAYSTREAM_API_URL"],
        "auth": {"type": "api_key", "name": "api_key", "api_key": os.environ["PAYSTREAM_API_KEY"], "location": "query"},
    },
    "resource_defaults": {"primary_key": "id", "write_disposition": "merge"},
    "resources": [
        {"name": r, "endpoint": {"path": f"/v1/{r}", "data_selector": "data", "paginator": {"type": "offset", "limit": 100}}}
        for r in RESOURCES
    ],
}

with tempfile.TemporaryDirectory() as folder:
    pipeline = dlt.pipeline(pipeline_name="paystream_bench", pipelines_dir=folder, destination="duckdb", progress="log" if "-v" in sys.argv else None)
    started = time.monotonic()
    info = pipeline.extract(rest_api_source(config))
    elapsed = time.monotonic() - started
    extracted = sum(
        m.items_count
        for load in info.metrics.values()
        for metrics in load
        for table, m in metrics["table_metrics"].items()
        if not table.startswith("_dlt")
    )
    print(extracted, f"{elapsed:.3f}")
