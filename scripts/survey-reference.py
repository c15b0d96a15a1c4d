#!/usr/bin/env python3
"""Reference figures for a survey read against a map, computed independently
of Waymark (pandas, NumPy, SciPy) exactly as docs/evidence.md ("Survey
responses") and docs/experience-model.md ("Calibration") define them, for the
tests to compare with. The tests themselves need no Python.

    scripts/survey-reference.py MAP.json SURVEY.csv OUT.json \
        --scale 1-5 --na 0 --overall satisfaction --positive satisfied

MAP.json is a waymark/1 document; columns bind to its frontstage steps by
title (letter case and runs of spaces ignored). The journey order is the
stages' order, then the order of the steps in the document (the maps this
is run on have no two steps in one stage joined by a flow against that
order). Run it with PM4Py's virtual environment or any with pandas and scipy.
"""
import argparse
import hashlib
import json

import numpy as np
import pandas as pd
from scipy import stats


def normal(s):
    return " ".join(str(s).split()).lower()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("map")
    p.add_argument("survey")
    p.add_argument("out")
    p.add_argument("--scale", default="1-5")
    p.add_argument("--na", action="append", default=[])
    p.add_argument("--overall")
    p.add_argument("--positive")
    a = p.parse_args()

    doc = json.load(open(a.map))
    low, high = (float(x) for x in a.scale.split("-"))
    stage_pos = {s["id"]: i for i, s in enumerate(doc["stages"])}
    steps = [s for s in doc["steps"] if s["visibility"] == "frontstage"]
    by_title = {normal(s["title"]): s for s in steps}

    raw = pd.read_csv(a.survey, dtype=str, keep_default_na=False)
    bound = [(c, by_title[normal(c)]) for c in raw.columns if normal(c) in by_title and c != a.overall]
    order = sorted(range(len(bound)), key=lambda k: (stage_pos[bound[k][1]["stage"]], doc["steps"].index(bound[k][1]), k))

    na = set(normal(x) for x in a.na)
    values = np.full((len(raw), len(bound)), np.nan)
    for k, (c, _) in enumerate(bound):
        col = raw[c].str.strip()
        keep = ~(col.eq("") | col.map(normal).isin(na))
        values[keep.to_numpy(), k] = 1 + 4 * (col[keep].astype(float).to_numpy() - low) / (high - low)

    out = {"sha256": hashlib.sha256(open(a.survey, "rb").read()).hexdigest(), "steps": []}
    answering = ~np.all(np.isnan(values), axis=1)
    out["respondents"] = int(answering.sum())
    for k, (c, s) in enumerate(bound):
        v = values[:, k][~np.isnan(values[:, k])]
        n = len(v)
        mean = float(v.mean())
        sd = float(v.std(ddof=1)) if n > 1 else 0.0
        half = float(stats.t.ppf(0.975, n - 1) * sd / np.sqrt(n)) if n > 1 else None
        out["steps"].append({"id": s["id"], "n": n, "mean": mean, "sd": sd,
                             "interval": [mean - half, mean + half] if half is not None else None})

    if a.overall:
        y_text = raw[a.overall].str.strip()
        has_y = y_text.ne("")
        y = (y_text.map(normal) == normal(a.positive)).astype(float).to_numpy()
        counting = answering & has_y.to_numpy()
        v = values[counting][:, order]
        y = y[counting]
        mean = np.nanmean(v, axis=1)
        worst = np.nanmin(v, axis=1)
        best = np.nanmax(v, axis=1)
        # The last rating in journey order.
        last_idx = v.shape[1] - 1 - np.argmax(~np.isnan(v[:, ::-1]), axis=1)
        end = v[np.arange(len(v)), last_idx]
        folds = np.arange(len(v)) % 5

        def composite(lam, w, n):
            return (1 - lam) * ((1 - w) * (n * worst + best) / (n + 1) + w * end) + lam * mean

        def auc(c, sel):
            c, t = np.round(c[sel], 9), y[sel]
            r = stats.rankdata(c)  # ties share the mean rank: one half each
            P, N = t.sum(), len(t) - t.sum()
            if P == 0 or N == 0:
                return np.nan
            return float((r[t == 1].sum() - P * (P + 1) / 2) / (P * N))

        grid = [(l / 10, w / 10, n) for l in range(11) for w in range(11)
                for n in (1, 1.5, 2, 2.25, 2.5, 3, 3.5, 4, 4.5, 5)]

        def fit(sel):
            best_score, best_point = -np.inf, None
            for point in grid:
                s = auc(composite(*point), sel)
                if s > best_score + 1e-12:
                    best_score, best_point = s, point
            return best_point, best_score

        everyone = np.ones(len(v), bool)
        fitted, score = fit(everyone)
        cv = np.mean([auc(composite(*fit(folds != f)[0]), folds == f) for f in range(5)])

        def fixed(point):
            return float(np.nanmean([auc(composite(*point), folds == f) for f in range(5)]))

        out["calibration"] = {
            "respondents": int(len(v)),
            "metric": "auc",
            "fitted": {"average_weight": fitted[0], "end_weight": fitted[1], "negativity": fitted[2],
                       "cv": float(cv), "score": float(score)},
            "average_only": {"cv": fixed((1.0, 0.0, 1.0)), "score": auc(composite(1.0, 0.0, 1.0), everyone)},
            "version2": {"cv": fixed((0.0, 0.5, 2.25)), "score": auc(composite(0.0, 0.5, 2.25), everyone)},
        }
    json.dump(out, open(a.out, "w"), indent=1)


if __name__ == "__main__":
    main()
