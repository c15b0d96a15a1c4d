#!/usr/bin/env bash
# One command from a fresh Debian 12 machine (as root) to every test passing:
# installs what is missing, then runs the checks in the order a failure is
# cheapest to find. The last line is "N passed, N failed" from the end-to-end run.
set -euo pipefail
cd "$(dirname "$0")/.."
WAYMARK_NEED_DRIVER=1 ./scripts/install-deps.sh
[ -f "$HOME/.cargo/env" ] && . "$HOME/.cargo/env"
export PATH="$HOME/.cargo/bin:$PATH"

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

# One build from a fresh clone: incremental caches only cost disk and time.
export CARGO_INCREMENTAL=0
step "Disk space before building"
df -h . | tail -n 1

step "Rust formatting"
cargo fmt --all -- --check

step "UI dependencies"
(cd ui && npm ci --no-audit --no-fund --loglevel=error)

step "Clippy (core and shell), warnings are errors"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "Core and room tests (no display needed)"
cargo test --locked

step "Shell tests on Tauri's mock runtime, and generated bindings up to date"
cargo test -p waymark-app --locked

step "UI: svelte-check, tsc, vitest"
(cd ui && npm run check && npm test)

step "Build the app (UI embedded, custom protocol)"
./scripts/build-app.sh

(cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
step "The room's phone page in Chromium at 390 × 844, against waymark-room"
node tests/e2e/phone.mjs

step "End-to-end: the real app under Xvfb through WebDriver"
xvfb-run -a -s "-screen 0 1600x1000x24" node tests/e2e/run.mjs
