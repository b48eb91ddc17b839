#!/bin/sh
# Starts the simulator with a demo project, screenshots its page at / in headless Chromium, and
# checks the PNG is not blank. Not part of `npm test`. Needs Chromium (Debian: apt-get install -y
# chromium). Usage: scripts/screenshot-simulator.sh [OUT.png]   (default: simulator-page.png)
set -eu
cd "$(dirname "$0")/.."
out=${1:-simulator-page.png}
chrome=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[ -n "$chrome" ] || { echo "screenshot-simulator: no Chromium on PATH (Debian: apt-get install -y chromium)" >&2; exit 2; }
[ -f dist/cli/bin.js ] || npm run build >/dev/null
work=$(mktemp -d)
sim_pid=
cleanup() { [ -z "$sim_pid" ] || kill "$sim_pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT INT TERM
node dist/cli/bin.js simulate --port 0 --seed-demo >"$work/sim.log" 2>&1 &
sim_pid=$!
i=0
until grep -q 'listening on' "$work/sim.log"; do
  i=$((i + 1)); [ $i -lt 100 ] || { cat "$work/sim.log" >&2; exit 1; }
  sleep 0.1
done
origin=$(sed -n 's#.*listening on \(http://[^/]*\)/api/v1.*#\1#p' "$work/sim.log")
echo "screenshot-simulator: $origin/ → $out"
"$chrome" --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$work/profile" \
  --window-size=1000,700 --screenshot="$out" "$origin/" >"$work/chrome.log" 2>&1 || { cat "$work/chrome.log" >&2; exit 1; }
node scripts/png-check.mjs "$out" 8
