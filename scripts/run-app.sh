#!/usr/bin/env bash
# One command from a fresh Debian 12 machine (as root) to the Waymark window on
# the built-in licence-renewal sample: installs what is missing, builds, runs.
# Any arguments are passed to the app (e.g. a .waymark file to open).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
[ -f "$HOME/.cargo/env" ] && . "$HOME/.cargo/env"
./scripts/build-app.sh
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  echo "No display found (DISPLAY is unset): starting Waymark on a virtual screen with xvfb-run." >&2
  exec xvfb-run -a -s "-screen 0 1600x1000x24" ./target/release/waymark-app "$@"
fi
exec ./target/release/waymark-app "$@"
