#!/usr/bin/env bash
# Builds Waymark as users get it, optimised: the app with its UI compiled into
# the binary and the custom protocol on (so it never looks for a dev server),
# the `waymark` command line and `waymark-room`, all in target/release.
# `run-app.sh`, the end-to-end tests, the benchmarks and `package.sh` use
# this build, so what is measured and tested is what is shipped.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f "$HOME/.cargo/env" ] && . "$HOME/.cargo/env"

(cd ui && npm ci --no-audit --no-fund --loglevel=error && npm run build --silent)
# The app through Tauri's CLI, as `package.sh` bundles it: the CLI passes the
# build settings of its own (custom-protocol, its environment), and a plain
# `cargo build` would differ and rebuild the app each time one follows the other.
(cd src-tauri && ../ui/node_modules/.bin/tauri build --ci --no-bundle)
cargo build --release --locked -p waymark-cli --bin waymark -p waymark-room --bin waymark-room
