#!/usr/bin/env python3
"""Reference figures for the evidence tests, computed with PM4Py.

For each log: the directly-follows graph (how often activity a is directly
followed by b within a case) and the performance DFG (the mean and median
time from the completion of a to the start of b, or to the completion of b
in a log without start events), written as JSON to
evidence/tests/data/pm4py/. The tests compare Waymark's transitions with
these numbers, so they do not need Python.

A log with start and complete events is first turned into an interval log
(pm4py's interval_lifecycle.to_interval), then measured with the start
timestamps. The made-up logs in evidence/tests/data/logs are always
measured; the public ones in ../shared/data/event-logs when present.

Run:
    python3 -m venv /tmp/pm4py-venv && /tmp/pm4py-venv/bin/pip install pm4py
    /tmp/pm4py-venv/bin/python scripts/pm4py-reference.py
"""
import hashlib
import json
import sys
import time
import warnings
from pathlib import Path

warnings.filterwarnings("ignore")

import pandas as pd  # noqa: E402  (pm4py's own dependency)
import pm4py  # noqa: E402
from pm4py.algo.discovery.dfg.adapters.pandas import df_statistics  # noqa: E402
from pm4py.objects.log.util import interval_lifecycle  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "evidence" / "tests" / "data" / "pm4py"
SHARED = ROOT.parent / "shared" / "data" / "event-logs"

LOGS = [
    ("claims", ROOT / "evidence/tests/data/logs/claims.xes.gz"),
    ("claims-complete", ROOT / "evidence/tests/data/logs/claims-complete.csv"),
    ("receipt", SHARED / "08_receipt.xes.gz"),
    ("running-example", SHARED / "running-example.xes"),
    ("reviewing", SHARED / "reviewing.xes"),
]


def sha256(path):
    h = hashlib.sha256()
    h.update(path.read_bytes())
    return h.hexdigest()


def frame(path):
    if path.suffix == ".csv":
        df = pd.read_csv(path)
        df["time:timestamp"] = pd.to_datetime(df["time:timestamp"], utc=True, format="ISO8601")
        return pm4py.format_dataframe(df, case_id="case:concept:name", activity_key="concept:name", timestamp_key="time:timestamp"), False
    log = pm4py.read_xes(str(path), return_legacy_log_object=True)
    lifecycles = {e.get("lifecycle:transition", "complete").lower() for t in log for e in t}
    if "start" in lifecycles:
        return pm4py.convert_to_dataframe(interval_lifecycle.to_interval(log)), True
    return pm4py.convert_to_dataframe(log), False


def reference(name, path):
    t0 = time.time()
    df, interval = frame(path)
    kwargs = dict(measure="both", activity_key="concept:name", case_id_glue="case:concept:name", timestamp_key="time:timestamp", perf_aggregation_key="all")
    if interval:
        kwargs["start_timestamp_key"] = "start_timestamp"
    freq, perf = df_statistics.get_dfg_graph(df, **kwargs)
    edges = [
        {
            "from": a,
            "to": b,
            "count": int(freq[(a, b)]),
            "mean_minutes": float(perf[(a, b)]["mean"]) / 60.0,
            "median_minutes": float(perf[(a, b)]["median"]) / 60.0,
        }
        for (a, b) in sorted(freq)
    ]
    doc = {
        "log": path.name,
        "sha256": sha256(path),
        "pm4py": pm4py.__version__,
        "time_basis": "start" if interval else "complete",
        "cases": int(df["case:concept:name"].nunique()),
        "edges": edges,
    }
    (OUT / f"{name}.json").write_text(json.dumps(doc, indent=1) + "\n")
    print(f"{name}: {len(edges)} edges, {doc['cases']} cases ({time.time() - t0:.1f} s)")


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for name, path in LOGS:
        if path.exists():
            reference(name, path)
        else:
            print(f"{name}: {path} not here, skipped", file=sys.stderr)


if __name__ == "__main__":
    main()
