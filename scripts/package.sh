#!/usr/bin/env bash
# Builds the release packages, offline once the dependencies are fetched:
#   target/package/waymark_VERSION_amd64.deb   (Debian, Ubuntu)
#   target/package/waymark-VERSION-1.x86_64.rpm (Fedora, openSUSE; not install-tested here)
# Both hold the app (menu entry "Waymark", icons, the .waymark file type),
# `waymark` and `waymark-room` in /usr/bin, the manual page and bash and zsh
# completion. Tauri's bundler (the @tauri-apps/cli in ui/) makes them from the
# same optimised build that `run-app.sh` starts. No AppImage: its tools are
# downloaded at bundling time, which this build does not do (README, Install).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f "$HOME/.cargo/env" ] && . "$HOME/.cargo/env"

./scripts/build-app.sh

out=target/package
mkdir -p "$out"
version=$(target/release/waymark --version | awk '{print $2}')
# The manual and completions come from the command line's own definitions.
target/release/waymark manual | gzip -9n > "$out/waymark.1.gz"
target/release/waymark completions bash > "$out/waymark.bash"
target/release/waymark completions zsh > "$out/_waymark"

# Bundles the app build-app.sh built (through the same CLI), building nothing.
(cd src-tauri && ../ui/node_modules/.bin/tauri bundle --ci --bundles deb,rpm)

cp target/release/bundle/deb/Waymark_"${version}"_amd64.deb "$out/waymark_${version}_amd64.deb"
cp target/release/bundle/rpm/Waymark-"${version}"-1.x86_64.rpm "$out/waymark-${version}-1.x86_64.rpm"
echo "Packages:"
ls -l "$out"/*.deb "$out"/*.rpm
