#!/usr/bin/env bash
# Installs the package as a user would and checks what a user would check
# (issue 24): run as root on a machine where Waymark is not installed, after
# ./scripts/package.sh. Prints "ok   …" per check and "N passed, N failed".
#
#   apt-get install ./waymark_*.deb resolves every dependency;
#   waymark --version names the commit; man waymark; bash completion;
#   the .waymark file type and Waymark as its default application;
#   gio open on a map starts the installed app on that map (under Xvfb);
#   a second launch on another map goes to the running window;
#   apt-get remove takes the program and leaves the user's maps and recent list.
set -uo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
deb=$(ls "$root"/target/package/waymark_*_amd64.deb 2>/dev/null | head -n 1)
if [ -z "$deb" ]; then
  echo "no package in target/package: run ./scripts/package.sh first" >&2
  exit 1
fi
if dpkg-query -W -f='${Status}' waymark 2>/dev/null | grep -q "install ok installed"; then
  echo "Waymark is already installed here; this test installs it itself (apt-get remove waymark first)" >&2
  exit 1
fi

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok   $*"; }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }
check() { # check "what" command...
  local what=$1; shift
  if out=$("$@" 2>&1); then ok "$what"; else fail "$what: $out"; fi
}

# A user of their own: the maps, settings and recent list live under this home.
user=$(mktemp -d /tmp/waymark-user.XXXXXX)
export HOME=$user XDG_CONFIG_HOME=$user/.config XDG_DATA_HOME=$user/.local/share
mkdir -p "$user/maps"
export DEBIAN_FRONTEND=noninteractive

# Tools the checks use (not what Waymark needs: that comes from the package).
apt-get install -y -qq --no-install-recommends man-db bash-completion libglib2.0-bin xdotool xvfb xauth dbus procps >/dev/null

if apt-get install -y -qq "$deb" > "$user/apt-install.log" 2>&1; then
  ok "apt-get install $(basename "$deb") resolved every dependency"
else
  fail "apt-get install $(basename "$deb"): $(tail -n 5 "$user/apt-install.log")"
  echo "$passed passed, $failed failed"
  exit 1
fi

# --version names the release and this checkout's commit.
commit=$(git -C "$root" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
version=$(/usr/bin/waymark --version 2>&1)
case "$version" in
  "waymark "*"(commit $commit)") ok "waymark --version: $version" ;;
  *) fail "waymark --version says \"$version\", not the commit $commit" ;;
esac
room_version=$(/usr/bin/waymark-room --version 2>&1)
case "$room_version" in
  *"(commit $commit)") ok "waymark-room --version: $room_version" ;;
  *) fail "waymark-room --version says \"$room_version\"" ;;
esac

# The manual page, as man shows it.
page=$(MANPAGER=cat MANWIDTH=100 man waymark 2>&1)
if grep -q "waymark import" <<<"$page" && grep -q "waymark review diff" <<<"$page"; then
  ok "man waymark shows the commands ($(wc -l <<<"$page") lines)"
else
  fail "man waymark: $(head -n 5 <<<"$page")"
fi

# Bash completion, loaded on demand as an interactive shell loads it.
completed=$(bash -c '
  . /usr/share/bash-completion/bash_completion
  _comp_load waymark 2>/dev/null || __load_completion waymark 2>/dev/null || _completion_loader waymark
  COMP_WORDS=(waymark rev); COMP_CWORD=1; COMP_LINE="waymark rev"; COMP_POINT=${#COMP_LINE}
  $(complete -p waymark | sed -E "s/.*-F ([^ ]+).*/\1/") waymark rev waymark
  echo "${COMPREPLY[*]}"' 2>&1)
if [ "$completed" = "review" ]; then ok "bash completes \"waymark rev\" to \"review\""; else fail "bash completion of \"waymark rev\": $completed"; fi
if [ -s /usr/share/zsh/vendor-completions/_waymark ]; then ok "zsh completion installed"; else fail "no zsh completion"; fi

# Two maps of the user's.
/usr/bin/waymark import "$root/assets/samples/licence-renewal.json" -o "$user/maps/licence.waymark" >/dev/null
/usr/bin/waymark import "$root/assets/samples/it-service-desk.json" -o "$user/maps/desk.waymark" >/dev/null
desk_title=$(/usr/bin/waymark export "$user/maps/desk.waymark" --json - | python3 -c 'import json,sys; print(json.load(sys.stdin)["title"])')

# The file type: a desktop such as GNOME asks GIO, which reads shared-mime-info.
type=$(XDG_CURRENT_DESKTOP=GNOME xdg-mime query filetype "$user/maps/licence.waymark" 2>&1)
if [ "$type" = "application/x-waymark" ]; then ok "xdg-mime calls licence.waymark $type"; else fail "xdg-mime query filetype: $type"; fi
# Renamed, a map is still a map (its application id, read by the magic rule).
cp "$user/maps/licence.waymark" "$user/maps/licence-copy.bin"
type=$(gio info -a standard::content-type "$user/maps/licence-copy.bin" 2>&1 | awk '/content-type/ {print $2}')
if [ "$type" = "application/x-waymark" ]; then ok "a map renamed .bin is still $type by its contents"; else fail "a renamed map is $type"; fi
rm -f "$user/maps/licence-copy.bin"
default=$(XDG_CURRENT_DESKTOP=GNOME xdg-mime query default application/x-waymark 2>&1)
if [ "$default" = "Waymark.desktop" ]; then ok "the default application for application/x-waymark is $default"; else fail "xdg-mime query default: \"$default\""; fi
if grep -qx "Name=Waymark" /usr/share/applications/Waymark.desktop && [ -s /usr/share/icons/hicolor/128x128/apps/waymark-app.png ]; then
  ok "menu entry \"Waymark\" with its icon"
else
  fail "menu entry or icon missing"
fi

# Open the map as a file manager does, on a screen of its own and a session
# bus (the single-instance hand-over goes over D-Bus, as on a desktop).
cat > "$user/session.sh" <<'EOF'
set -u
waitfor() { # waitfor TITLE SECONDS: the window whose title holds TITLE
  for _ in $(seq 1 $(( $2 * 4 ))); do
    xdotool search --name "$1" >/dev/null 2>&1 && return 0
    sleep 0.25
  done
  return 1
}
gio open "$HOME/maps/licence.waymark" &
if waitfor "Driver licence renewal" 60; then echo "opened"; else echo "not-opened"; ps aux | grep -c "[w]aymark-app"; exit 0; fi
xdotool search --name "Driver licence renewal" getwindowname
# A second double-click, on another map, while the window is open.
timeout 30 /usr/bin/waymark-app "$HOME/maps/desk.waymark"
echo "second-exit=$?"
if waitfor "$DESK_TITLE" 20; then echo "handed-over"; else echo "not-handed-over"; fi
echo "processes=$(pgrep -c -x waymark-app)"
pkill -x waymark-app
sleep 1
EOF
session=$(DESK_TITLE="$desk_title" timeout 180 xvfb-run -a -s "-screen 0 1400x900x24" dbus-run-session -- bash "$user/session.sh" 2>"$user/session.err")
if grep -q "^opened" <<<"$session"; then
  ok "gio open licence.waymark started the installed app on it (window \"$(grep -m1 " — " <<<"$session")\")"
else
  fail "gio open did not show the map's window: $session $(tail -n 5 "$user/session.err")"
fi
if grep -q "second-exit=0" <<<"$session" && grep -q "handed-over" <<<"$session" && grep -q "processes=1" <<<"$session"; then
  ok "a second launch on desk.waymark handed it to the running window and exited (one process)"
else
  fail "second launch: $(tr '\n' ' ' <<<"$session")"
fi
ls "$HOME/.config/org.waymark.app/recent-maps.json" >/dev/null 2>&1 || fail "no recent list was written"

# Removing the package takes the program and leaves the user's files.
sums_before=$(cd "$user" && find maps .config -type f -print0 | sort -z | xargs -0 sha256sum)
if apt-get remove -y -qq waymark >/dev/null 2>&1 && ! [ -e /usr/bin/waymark ] && ! [ -e /usr/bin/waymark-app ]; then
  ok "apt-get remove waymark took the programs away"
else
  fail "apt-get remove waymark"
fi
sums_after=$(cd "$user" && find maps .config -type f -print0 | sort -z | xargs -0 sha256sum)
if [ "$sums_before" = "$sums_after" ] && grep -q "desk.waymark" "$HOME/.config/org.waymark.app/recent-maps.json"; then
  ok "the user's maps and recent list are as they were ($(wc -l <<<"$sums_after") files)"
else
  fail "the user's files changed on removal: $(diff <(echo "$sums_before") <(echo "$sums_after") | head -n 5)"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
