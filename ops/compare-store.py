#!/usr/bin/env python3
"""Compares a Paystream SQLite store with the API it was synced from: per resource, the
API's records (all pages read, API key from PAYSTREAM_API_KEY) against the table's rows.
Exits 1 unless every id is present exactly once and every row is the API's current version.
usage: compare-store.py API_URL DB"""
import json, os, sqlite3, sys, urllib.parse, urllib.request

RESOURCES = ["customers", "invoices", "charges", "subscriptions", "refunds"]
api, db_path = sys.argv[1], sys.argv[2]
key = os.environ["PAYSTREAM_API_KEY"]
db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)

def api_records(resource):
    records, offset = {}, 0
    while True:
        query = urllib.parse.urlencode({"api_key": key, "limit": 100, "offset": offset})
        with urllib.request.urlopen(f"{api}/v1/{resource}?{query}") as r:
            page = json.load(r)
        for record in page["data"]:
            records[record["id"]] = record
        offset += 100
        if not page["has_more"]:
            return records, page["total"]

ok = True
print(f"{'resource':<14}{'API records':>12}{'SQLite rows':>13}{'distinct ids':>14}{'missing':>9}{'stale':>7}  result")
for resource in RESOURCES:
    expected, total = api_records(resource)
    rows = db.execute(f'SELECT id, _paystream_document FROM "{resource}"').fetchall()
    stored = {}
    for id_, doc in rows:
        stored[id_] = json.loads(doc)
    missing = len(set(expected) - set(stored))
    stale = sum(1 for i, rec in expected.items() if i in stored and stored[i] != rec)
    extra = len(set(stored) - set(expected))
    good = missing == 0 and stale == 0 and extra == 0 and len(rows) == total == len(stored)
    ok &= good
    print(f"{resource:<14}{total:>12}{len(rows):>13}{len(stored):>14}{missing:>9}{stale:>7}  {'OK' if good else 'MISMATCH'}")
print("store equals the API" if ok else "store differs from the API")
sys.exit(0 if ok else 1)
