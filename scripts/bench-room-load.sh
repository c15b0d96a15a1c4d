#!/usr/bin/env bash
# Opens a generated 500-step map in the real app under Xvfb, opens its room
# from the Workshop tab, and lets 50 simulated phones rate at once: prints how
# soon the window's drawing shows their ratings and how long a key typed in
# the quick-entry line meanwhile takes to reach the screen (figures in
# BENCHMARKS.md). STEPS=… and PHONES=… change the size.
set -euo pipefail
cd "$(dirname "$0")/.."
WAYMARK_NEED_DRIVER=1 ./scripts/install-deps.sh
./scripts/build-app.sh
(cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
xvfb-run -a -s "-screen 0 1600x1000x24" node tests/e2e/bench-room-load.mjs
