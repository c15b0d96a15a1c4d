#!/usr/bin/env python3
"""Writes the made-up survey exports the tests read (evidence/tests/data/surveys/),
for the home-insurance claim of tests/fixtures/home-insurance-claim.json: the
same 60 respondents as a semicolon CSV, a Qualtrics export (three header
rows, matrix columns "Question - Row"), a Google Forms export (answers in
words) and an XLSX workbook. Beside the ratings, each file has what real
exports carry and Waymark must never keep: a name, an e-mail address, a
respondent id and a free-text comment. Seeded: the files come out the same.

    /tmp/pm4py-venv/bin/python scripts/make-test-surveys.py   (needs openpyxl)
"""
import csv
import json
import random

from openpyxl import Workbook

OUT = "evidence/tests/data/surveys/"
STEPS = [  # column title, step's typical score
    ("First call to report the leak", 4.6),
    ("Claim number and next steps by e-mail", 4.0),
    ("Adjuster's visit booked", 3.8),
    ("Adjuster's visit: the whole story told again", 2.2),
    ("Drying equipment installed", 4.1),
    ("Repairs carried out", 3.5),
    ("Final payment received", 1.9),
    ("Closing letter", 3.8),
]
WORDS = ["Very poor", "Poor", "Fair", "Good", "Excellent"]
rng = random.Random(2026)
rows = []
for i in range(60):
    ratings = []
    for _, typical in STEPS:
        if rng.random() < 0.1:
            ratings.append(0)  # not applicable
        else:
            ratings.append(max(1, min(5, round(rng.gauss(typical, 0.8)))))
    rated = [r for r in ratings if r]
    overall = max(1, min(10, round(2 * (0.6 * min(rated) + 0.4 * sum(rated) / len(rated)) + rng.gauss(0, 0.7))))
    rows.append({
        "name": f"Customer {i + 1:02d}",
        "email": f"customer{i + 1:02d}@example.org",
        "id": f"R_{rng.getrandbits(40):010x}",
        "comment": rng.choice(["", "Told my story twice.", "Payment took weeks; call me on 0612345678", "Fine."]),
        "ratings": ratings,
        "overall": overall,
        "recommend": "Yes" if overall >= 6 else "No",
        "channel": rng.choice(["phone", "web"]),
    })

titles = [t for t, _ in STEPS]
header = ["Respondent ID", "Name", "E-mail"] + titles + ["Overall (1-10)", "Would recommend", "Channel", "Comments"]


def plain(r):
    return [r["id"], r["name"], r["email"]] + [str(x) for x in r["ratings"]] + [
        str(r["overall"]), r["recommend"], r["channel"], r["comment"]]


with open(OUT + "claim.csv", "w", newline="") as f:
    w = csv.writer(f, delimiter=";")
    w.writerow(header)
    for r in rows:
        w.writerow(plain(r))

# Qualtrics: tags, question texts ("Question - Row" for the matrix), import ids.
with open(OUT + "claim-qualtrics.csv", "w", newline="") as f:
    w = csv.writer(f)
    tags = ["ResponseId", "RecipientLastName", "RecipientEmail"] + [f"Q1_{k + 1}" for k in range(len(STEPS))] + [
        "Q2", "Q3", "Q4", "Q5"]
    w.writerow(tags)
    w.writerow(["Response ID", "Recipient Last Name", "Recipient Email"] + [
        f"How was each moment of your claim? - {t}" for t in titles] + [
        "Overall (1-10)", "Would recommend", "Channel", "Comments"])
    w.writerow([json.dumps({"ImportId": t}, separators=(",", ":")) for t in tags])
    for r in rows:
        w.writerow(plain(r))

# Google Forms: a timestamp first, answers in words, "Not applicable" for none.
with open(OUT + "claim-forms.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["Timestamp", "Email address"] + titles + ["Would recommend", "Comments"])
    for i, r in enumerate(rows):
        w.writerow([f"2026/11/{1 + i % 28:02d} 10:{i % 60:02d}:00 AM GMT+1", r["email"]] + [
            WORDS[x - 1] if x else "Not applicable" for x in r["ratings"]] + [r["recommend"], r["comment"]])

book = Workbook()
sheet = book.active
sheet.title = "Responses"
sheet.append(header)
for r in rows:
    sheet.append([r["id"], r["name"], r["email"]] + r["ratings"] + [
        r["overall"], r["recommend"], r["channel"], r["comment"]])
book.create_sheet("Notes").append(["Made up for Waymark's tests"])
# A fixed time, so the workbook's bytes repeat.
import datetime
book.properties.created = book.properties.modified = datetime.datetime(2026, 12, 4)
book.save(OUT + "claim.xlsx")
