#!/bin/sh
# npm run check:pack — what a user gets from the packed tarball (not part of `npm test`: the
# install compiles better-sqlite3, about 70 s). It
#   1. packs the tarball (prepack cleans dist/, prepare builds it without source maps) and checks
#      it ships no source map and no sourceMappingURL pointing at a file it does not ship;
#   2. installs it with npm into a clean temporary prefix (npm install -g --prefix);
#   3. runs, from the installed copy: --help, demo --once, then a simulator started from the
#      installed package and pull + sync against it;
#   4. hides the compiled native module and checks an engine command exits 2 naming the fix.
# Everything lives in one temporary folder, removed at the end; the simulator listens on loopback.
set -eu
cd "$(dirname "$0")/.."
repo=$(pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/taskade-check-pack-XXXXXX")
sim_pid=
cleanup() {
  [ -z "$sim_pid" ] || kill "$sim_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM
step() { printf '\ncheck-pack: %s\n' "$*"; }
fail() { printf 'check-pack: FAILED: %s\n' "$*" >&2; exit 1; }

step "npm pack"
tgz=$(npm pack --silent --pack-destination "$work" | tail -n 1)
tar -tzf "$work/$tgz" | sed 's#^package/##' | sort >"$work/files.txt"
echo "  $tgz: $(wc -l <"$work/files.txt") files, $(wc -c <"$work/$tgz") bytes"
if grep -E '\.map$' "$work/files.txt"; then fail "the tarball ships source maps (above)"; fi
mkdir "$work/unpacked" && tar -xzf "$work/$tgz" -C "$work/unpacked"
if grep -rl 'sourceMappingURL' "$work/unpacked/package/dist" >/dev/null 2>&1; then
  grep -rl 'sourceMappingURL' "$work/unpacked/package/dist" | head -5
  fail "files above point at source maps the tarball does not ship"
fi
for f in dist/cli/bin.js examples/vault/Roadmap.md LICENSE README.md package.json; do
  grep -qx "$f" "$work/files.txt" || fail "the tarball lacks $f"
done
if grep -E '^(src|test|bench)/' "$work/files.txt" >/dev/null; then fail "the tarball ships src/, test/ or bench/"; fi

step "npm install -g --prefix <clean> (compiles better-sqlite3 when no prebuilt binary can be fetched)"
prefix="$work/prefix"
start=$(date +%s)
npm install -g --prefix "$prefix" --allow-scripts=better-sqlite3 --no-audit --no-fund "$work/$tgz" >"$work/install.log" 2>&1 ||
  { tail -n 30 "$work/install.log" >&2; fail "npm install"; }
echo "  installed in $(($(date +%s) - start)) s"
bin="$prefix/bin/taskade-sync"
pkg="$prefix/lib/node_modules/taskade-sync"
[ -x "$bin" ] || fail "no $bin"
cd "$work" # nothing below may depend on the clone

step "taskade-sync --help"
"$bin" --help >"$work/help.txt" || fail "--help exited $?"
grep -q 'Usage' "$work/help.txt" || { cat "$work/help.txt"; fail "--help printed no usage"; }
echo "  $(wc -l <"$work/help.txt") lines"

step "taskade-sync demo --once"
"$bin" demo --once --dir "$work/demo" >"$work/demo.txt" 2>&1 || { cat "$work/demo.txt"; fail "demo --once exited non-zero"; }
grep -q 'Both directions work.' "$work/demo.txt" || { cat "$work/demo.txt"; fail "demo did not finish its loop"; }
grep 'Both directions work.' "$work/demo.txt" | sed 's/^/  /'

step "taskade-sync simulate (from the installed package), pull, sync"
"$bin" simulate --port 0 --seed-demo >"$work/sim.txt" 2>&1 &
sim_pid=$!
i=0
until grep -q 'listening on' "$work/sim.txt"; do
  i=$((i + 1))
  [ $i -lt 100 ] || { cat "$work/sim.txt"; fail "the simulator did not start"; }
  sleep 0.1
done
api=$(sed -n 's#.*listening on \(http://[^ ]*\).*#\1#p' "$work/sim.txt")
project=$(sed -n 's#^ *project: *\([^ ]*\) .*#\1#p' "$work/sim.txt")
echo "  simulator $api, demo project $project"
mkdir "$work/notes" && cd "$work/notes"
export TASKADE_TOKEN=sim-token
"$bin" init --api-url "$api" >/dev/null 2>&1 || printf '{ "apiUrl": "%s" }\n' "$api" >sync.config.json
"$bin" pull --project "$project" || fail "pull exited $?"
"$bin" sync || fail "sync exited $?"
note=$(ls ./*.md | head -n 1)
grep -q 'Try the sync loop' "$note" || { cat "$note"; fail "the pulled note lacks the demo task"; }
sed -i 's/Try the sync loop/Try the sync loop (edited)/' "$note"
"$bin" sync || fail "sync of a local edit exited $?"
curl -sf -H 'Authorization: Bearer sim-token' "$api/projects/$project/tasks" | grep -q 'Try the sync loop (edited)' ||
  fail "the local edit did not reach the simulator"
echo "  pull, sync and a local edit reached the simulator"

step "a missing native module: exit 2 and the fix"
find "$pkg/node_modules/better-sqlite3" -name 'better_sqlite3.node' >"$work/native.txt"
[ -s "$work/native.txt" ] || fail "no better_sqlite3.node under $pkg"
while read -r f; do mv "$f" "$f.hidden"; done <"$work/native.txt" # every copy bindings would find
set +e
"$bin" sync >"$work/missing.out" 2>"$work/missing.err"
code=$?
set -e
while read -r f; do mv "$f.hidden" "$f"; done <"$work/native.txt"
sed 's/^/  /' "$work/missing.err"
[ "$code" -eq 2 ] || fail "exit $code with the native module missing (want 2)"
grep -q 'npm rebuild better-sqlite3' "$work/missing.err" || fail "the message does not name the fix"

kill "$sim_pid" && sim_pid=
step "OK ($tgz from $repo)"
