#!/usr/bin/env bash
# Reading, scoring and calibrating a survey, as a whole process (issue 23):
# the public airline passenger survey (25,976 respondents) read against a
# flight whose 13 steps are its service items, with the overall outcome
# "satisfied", so the grid of 1,210 weightings is fitted six times (all
# respondents and five folds). Median of 5, release build.
#
#   scripts/bench-survey.sh [SURVEY.csv]   (default: ../shared/data/surveys/…)
set -euo pipefail
cd "$(dirname "$0")/.."
survey=${1:-../shared/data/surveys/airline-passenger-satisfaction-test.csv}
[ -f "$survey" ] || { echo "no survey at $survey" >&2; exit 1; }
cargo build --release --quiet -p waymark-cli --bin waymark
bin=./target/release/waymark
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" import tests/fixtures/airline-flight.json -o "$work/flight.waymark" >/dev/null
times=()
for _ in 1 2 3 4 5; do
  t0=$(date +%s.%N)
  "$bin" survey "$work/flight.waymark" "$survey" --na 0 --overall satisfaction --positive satisfied --json >/dev/null
  times+=("$(echo "$(date +%s.%N) - $t0" | bc)")
done
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
echo "survey: $survey ($(du -h "$survey" | cut -f1))"
printf 'waymark survey (read, score, calibrate, JSON)  %8.3f s (median of 5)\n' "$median"
/usr/bin/time -f "peak memory %M KB" "$bin" survey "$work/flight.waymark" "$survey" --na 0 --overall satisfaction --positive satisfied --json >/dev/null
