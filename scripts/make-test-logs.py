#!/usr/bin/env python3
"""Writes the small event logs the evidence tests read (evidence/tests/data/logs/).

They are made up here, so the project may ship them: a home-insurance claims
process with a contact centre, claims handlers, adjusters and a payments
team; start and complete events (XES, gzip-compressed), times written with two offsets
(+01:00 in winter, +02:00 in summer), rework (the customer is called back),
a case attribute `channel` and a `deadline`; and the same log as a CSV with
one row per event and complete events only. Deterministic: the same files
on every run (a fixed seed and Python's own Mersenne Twister).

Run: python3 scripts/make-test-logs.py
"""
import datetime as dt
import gzip
import random
from pathlib import Path
from xml.sax.saxutils import quoteattr

OUT = Path(__file__).resolve().parent.parent / "evidence" / "tests" / "data" / "logs"

ACTIVITIES = [
    ("Report the leak", "Contact centre"),
    ("Call notes to adjuster", "Contact centre"),
    ("Adjuster visit", "Loss adjusters"),
    ("Call customer back", "Claims handling"),
    ("Approve repairs", "Claims handling"),
    ("Approve cash settlement", "Claims handling"),
    ("Pay the claim", "Claims payments"),
    ("Send closing letter", "Claims handling"),
]


def zone(t):
    # Summer time from the last Sunday of March to the last Sunday of October, roughly.
    return dt.timezone(dt.timedelta(hours=2 if 4 <= t.month <= 10 else 1))


def stamp(t):
    local = t.astimezone(zone(t))
    return local.isoformat(timespec="milliseconds")


def cases(rng, n):
    start = dt.datetime(2025, 1, 6, 8, 0, tzinfo=dt.timezone.utc)
    out = []
    for i in range(n):
        t = start + dt.timedelta(hours=rng.randint(0, 24 * 300))
        channel = rng.choice(["Phone", "Phone", "Web"])
        events = []

        def work(name, group, mean_wait_min, mean_work_min):
            nonlocal t
            t += dt.timedelta(minutes=rng.expovariate(1 / mean_wait_min))
            s = t
            t += dt.timedelta(minutes=rng.expovariate(1 / mean_work_min))
            events.append((name, group, s, t))

        work("Report the leak", "Contact centre", 1, 12)
        work("Call notes to adjuster", "Contact centre", 90 if channel == "Phone" else 30, 10)
        if rng.random() < 0.2:
            work("Call customer back", "Claims handling", 240, 15)
        work("Adjuster visit", "Loss adjusters", 60 * 24 * 2, 90)
        while rng.random() < 0.15:  # the story is told again
            work("Call customer back", "Claims handling", 60 * 24, 20)
            work("Adjuster visit", "Loss adjusters", 60 * 24 * 3, 60)
        if rng.random() < 0.7:
            work("Approve repairs", "Claims handling", 60 * 8, 30)
        else:
            work("Approve cash settlement", "Claims handling", 60 * 4, 20)
        work("Pay the claim", "Claims payments", 60 * 24 * 5, 5)
        work("Send closing letter", "Claims handling", 60 * 2, 5)
        deadline = events[0][2] + dt.timedelta(days=30)
        out.append((f"claim-{1000 + i}", channel, deadline, events))
    return out


def write_xes(path, cs, rng):
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<log xes.version="1849-2016" xmlns="http://www.xes-standard.org/">']
    lines.append('  <extension name="Concept" prefix="concept" uri="http://www.xes-standard.org/concept.xesext"/>')
    lines.append('  <extension name="Time" prefix="time" uri="http://www.xes-standard.org/time.xesext"/>')
    lines.append('  <extension name="Lifecycle" prefix="lifecycle" uri="http://www.xes-standard.org/lifecycle.xesext"/>')
    lines.append('  <extension name="Organizational" prefix="org" uri="http://www.xes-standard.org/org.xesext"/>')
    lines.append('  <classifier name="Activity" keys="concept:name"/>')
    for name, channel, deadline, events in cs:
        lines.append("  <trace>")
        lines.append(f'    <string key="concept:name" value={quoteattr(name)}/>')
        lines.append(f'    <string key="channel" value={quoteattr(channel)}/>')
        lines.append(f'    <date key="deadline" value="{stamp(deadline)}"/>')
        # Starts and completes in time order, as a case system writes them.
        flat = []
        for k, (act, group, s, c) in enumerate(events):
            flat.append((s, 0, k, act, group, "start"))
            flat.append((c, 1, k, act, group, "complete"))
        flat.sort()
        for t, _, _, act, group, life in flat:
            lines.append("    <event>")
            lines.append(f'      <string key="concept:name" value={quoteattr(act)}/>')
            lines.append(f'      <string key="org:group" value={quoteattr(group)}/>')
            lines.append(f'      <string key="lifecycle:transition" value="{life}"/>')
            lines.append(f'      <date key="time:timestamp" value="{stamp(t)}"/>')
            lines.append("    </event>")
        lines.append("  </trace>")
    lines.append("</log>")
    data = ("\n".join(lines) + "\n").encode("utf-8")
    # mtime 0 and no file name: the same bytes on every run.
    with open(path, "wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write(data)


def write_csv(path, cs):
    rows = ["case:concept:name,case:channel,concept:name,org:group,time:timestamp"]
    for name, channel, _, events in cs:
        for act, group, s, c in events:
            rows.append(f"{name},{channel},{act},{group},{stamp(c).replace('T', ' ')}")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def main():
    rng = random.Random(20261204)
    OUT.mkdir(parents=True, exist_ok=True)
    cs = cases(rng, 240)
    write_xes(OUT / "claims.xes.gz", cs, rng)
    write_csv(OUT / "claims-complete.csv", cs)
    print(f"wrote {OUT / 'claims.xes.gz'} and {OUT / 'claims-complete.csv'} ({len(cs)} cases)")


if __name__ == "__main__":
    main()
