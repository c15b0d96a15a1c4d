#!/usr/bin/env bash
# Reading an event log and measuring a map against it, as whole processes,
# against PM4Py reading the same file and computing its directly-follows and
# performance graphs, from the same run (issue 22). Median of 5 each.
#
#   scripts/bench-event-log.sh [LOG]      (default: BPI Challenge 2012 from ../shared/data)
#
# The map is made from the log first (waymark import --log), so every
# activity is a step and every transition is measured. PM4Py comes from a
# virtual environment: PM4PY_PYTHON=/path/to/venv/bin/python (default
# /tmp/pm4py-venv/bin/python; skipped when absent). BENCHMARKS.md records a run.
set -euo pipefail
cd "$(dirname "$0")/.."
log=${1:-../shared/data/event-logs/bpic2012.xes.gz}
[ -f "$log" ] || { echo "no log at $log" >&2; exit 1; }
py=${PM4PY_PYTHON:-/tmp/pm4py-venv/bin/python}
cargo build --release --quiet -p waymark-cli --bin waymark
bin=./target/release/waymark
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" import "$log" --log -o "$work/map.waymark" >/dev/null

now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
run() { # label, command...
  local label=$1; shift
  local times=()
  for _ in 1 2 3 4 5; do
    local t0; t0=$(now)
    "$@" >/dev/null 2>&1
    times+=("$(echo "$(now) - $t0" | bc)")
  done
  printf '%-52s %8.3f s (median of 5)\n' "$label" "$(printf '%s\n' "${times[@]}" | median)"
}

echo "log: $log ($(du -h "$log" | cut -f1))"
run "waymark log (read and summarise)" "$bin" log "$log" --json
run "waymark measure (read, bind, measure, JSON)" "$bin" measure "$work/map.waymark" "$log" --json
/usr/bin/time -f "waymark measure: peak memory %M KB" "$bin" measure "$work/map.waymark" "$log" --json >/dev/null
if [ -x "$py" ]; then
  cat >"$work/pm4py_dfg.py" <<'PY'
import sys, warnings
warnings.filterwarnings("ignore")
import pm4py
log = pm4py.read_xes(sys.argv[1])
pm4py.discover_dfg(log)
pm4py.discover_performance_dfg(log)
PY
  run "PM4Py $("$py" -c 'import pm4py; print(pm4py.__version__)' 2>/dev/null) (read_xes, DFG, performance DFG)" "$py" "$work/pm4py_dfg.py" "$log"
else
  echo "PM4Py: no python at $py, skipped"
fi
