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

step "Clippy (every crate), warnings are errors"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "The core knows no network: no Tokio, PostgreSQL, TLS or HTTP among its dependencies"
core_deps=$(cargo tree -p waymark -e normal --prefix none --locked)
network=$(printf '%s\n' "$core_deps" | awk '{print $1}' | sort -u |
  grep -Ex 'tokio|tokio-.*|postgres|postgres-.*|native-tls|openssl|openssl-sys|rustls|hyper|axum' || true)
if [ -n "$network" ]; then
  echo "The core (package waymark) depends on: $(echo $network)." >&2
  echo "Networking belongs in waymark-library or waymark-room; see ARCHITECTURE.md, \"The crates\"." >&2
  cargo tree -p waymark -e normal --locked -i "$(echo "$network" | head -n 1)" >&2 || true
  exit 1
fi
echo "waymark: $(printf '%s\n' "$core_deps" | awk '{print $1}' | sort -u | wc -l) crates, none of them networking"

step "Core, library, room and command-line tests (no display needed)"
cargo test --locked

step "Shell tests on Tauri's mock runtime, and generated bindings up to date"
cargo test -p waymark-app --locked

step "UI: svelte-check, tsc, vitest"
(cd ui && npm run check && npm test)

step "Build the optimised app and the packages (the .deb and .rpm users install)"
./scripts/package.sh

(cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
step "The room's phone page in Chromium at 390 × 844, against waymark-room"
node tests/e2e/phone.mjs

step "The room's phone page in Chromium, WebKit and Gecko at 390 × 844"
xvfb-run -a -s "-screen 0 1280x1024x24" node tests/e2e/phone-engines.mjs

step "End-to-end: the optimised app under Xvfb through WebDriver"
xvfb-run -a -s "-screen 0 1600x1000x24" node tests/e2e/run.mjs

step "Install the .deb as a user would, use it, remove it"
./tests/install/run.sh
