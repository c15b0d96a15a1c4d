#!/usr/bin/env bash
# Installs everything Waymark needs to build, run and test on Debian 12, as root:
# the WebKitGTK stack Tauri 2 builds against, Xvfb and WebKitWebDriver for the
# end-to-end tests, tools for looking at outputs, a Rust toolchain and Node.js.
# Safe to run again: it installs only what is missing.
set -euo pipefail

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

APT_PACKAGES=(
  build-essential pkg-config curl ca-certificates file
  libwebkit2gtk-4.1-dev libssl-dev librsvg2-dev libayatana-appindicator3-dev
  xvfb xauth webkit2gtk-driver xdotool
  sqlite3 qpdf poppler-utils imagemagick
  # The library's tests start throwaway PostgreSQL servers of their own.
  postgresql
)
# The room's phone page is tested in the three engines phones run, all
# Debian's: Chromium, WebKitGTK (its MiniBrowser comes with the WebKit library
# above; WebKitWebDriver drives it) and Firefox ESR (Gecko). dbus gives the
# install test a session bus, as a desktop has.
if [ "${WAYMARK_NEED_DRIVER:-0}" = 1 ]; then
  APT_PACKAGES+=(chromium chromium-driver firefox-esr dbus)
fi

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "apt: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v cargo >/dev/null 2>&1; then
  [ -x "$HOME/.cargo/bin/cargo" ] || {
    say "Rust: installing rustup"
    curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal
  }
  # shellcheck disable=SC1091
  . "$HOME/.cargo/env"
fi
# rust-toolchain.toml pins the version; rustup installs it on first use.

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(node_major)" -lt 20 ]; then
  say "Node.js: installing from Debian"
  apt-get install -y -qq nodejs npm >/dev/null || true
fi
if [ "$(node_major)" -lt 20 ]; then
  echo "Waymark's UI build (Vite 8) needs Node.js 20.19 or newer; this machine has $(node --version 2>/dev/null || echo none)." >&2
  echo "Install Node.js 20 or 22 (for example from nodejs.org) and run this again." >&2
  exit 1
fi

if ! command -v tauri-driver >/dev/null 2>&1 && [ "${WAYMARK_NEED_DRIVER:-0}" = 1 ]; then
  say "tauri-driver: installing (for the end-to-end tests)"
  cargo install tauri-driver --version '^2' --locked --quiet
fi
