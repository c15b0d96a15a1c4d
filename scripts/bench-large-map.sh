#!/usr/bin/env bash
# Opens a generated 10,000-step map in the real app under Xvfb and prints the
# time to open and draw it, the time of one edit, and the memory of the app
# and its webview (figures in BENCHMARKS.md). STEPS=… and RUNS=… change the size.
set -euo pipefail
cd "$(dirname "$0")/.."
WAYMARK_NEED_DRIVER=1 ./scripts/install-deps.sh
./scripts/build-app.sh
(cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
xvfb-run -a -s "-screen 0 1600x1000x24" node tests/e2e/bench-large-map.mjs
