#!/usr/bin/env bash
# Builds the desktop app as users get it: the UI compiled into the binary and
# the custom protocol on, so it never looks for a dev server.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f "$HOME/.cargo/env" ] && . "$HOME/.cargo/env"

(cd ui && npm ci --no-audit --no-fund --loglevel=error && npm run build --silent)
cargo build -p waymark-app --features custom-protocol --bin waymark-app
cargo build -p waymark-cli --bin waymark
cargo build -p waymark-room --bin waymark-room
