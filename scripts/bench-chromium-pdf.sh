#!/usr/bin/env bash
# The 1,000-step report as a whole process (start, read, analyse, draw, write),
# best of 3, against headless Chromium printing the same map's drawing to PDF
# (the way web tools make PDFs), from the same run; prints both, their sizes
# and the ratio. Needs the chromium package (apt-get install chromium).
# BENCHMARKS.md records a run.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v chromium >/dev/null || { echo "needs chromium: apt-get install chromium" >&2; exit 1; }
cargo build --release --quiet --bin waymark
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
./target/release/waymark generate --steps 1000 --seed 42 -o "$work/map.json" >/dev/null
./target/release/waymark export "$work/map.json" --svg "$work/map.svg" --date 2026-11-22 >/dev/null

now() { date +%s.%N; }
best() { sort -n | head -1; }

waymark_times=()
for _ in 1 2 3; do
  t0=$(now)
  ./target/release/waymark export "$work/map.json" --pdf "$work/waymark.pdf" --date 2026-11-22 >/dev/null
  waymark_times+=("$(echo "$(now) - $t0" | bc)")
done

chromium_times=()
for _ in 1 2 3; do
  profile=$(mktemp -d)
  t0=$(now)
  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile" --no-pdf-header-footer \
    --print-to-pdf="$work/chromium.pdf" "file://$work/map.svg" >/dev/null 2>&1
  chromium_times+=("$(echo "$(now) - $t0" | bc)")
  rm -rf "$profile"
done

size() { stat -c %s "$1"; }
pages() { pdfinfo "$1" 2>/dev/null | awk '/^Pages:/ {print $2}'; }
w_best=$(printf '%s\n' "${waymark_times[@]}" | best)
c_best=$(printf '%s\n' "${chromium_times[@]}" | best)
printf '%-34s %10s %12s %6s\n' "1,000-step map, best of 3" "time (s)" "size (bytes)" "pages"
printf '%-34s %10.3f %12d %6s\n' "Waymark report (krilla, A3)" "$w_best" "$(size "$work/waymark.pdf")" "$(pages "$work/waymark.pdf")"
printf '%-34s %10.3f %12d %6s\n' "Chromium --print-to-pdf (SVG)" "$c_best" "$(size "$work/chromium.pdf")" "$(pages "$work/chromium.pdf")"
echo "Chromium text check: $(pdftotext "$work/chromium.pdf" - 2>/dev/null | grep -c 'Step ' || true) lines with step titles"
echo "Waymark text check:  $(pdftotext "$work/waymark.pdf" - 2>/dev/null | grep -c 'Step ' || true) lines with step titles"
printf 'Chromium takes %.1f times as long as Waymark (whole report against the drawing alone).\n' "$(echo "$c_best / $w_best" | bc -l)"
