# Helpers for the CLI tests. Each test script sources this; ctest provides VW, VW_SHARED, VW_SRC, VW_TMP.
set -euo pipefail
: "${VW:?VW must point to the vesselwatch binary}"
VW_TMP=${VW_TMP:-$(mktemp -d)}
rm -rf "$VW_TMP"; mkdir -p "$VW_TMP"
checks=0
fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { checks=$((checks + 1)); }
# expect_exit CODE CMD... : runs CMD, stdout -> $VW_TMP/out, stderr -> $VW_TMP/err, checks the exit code
expect_exit() {
  local want=$1; shift
  set +e; "$@" > "$VW_TMP/out" 2> "$VW_TMP/err"; local got=$?; set -e
  [ "$got" -eq "$want" ] || { echo "--- stderr:"; cat "$VW_TMP/err"; fail "exit $got, expected $want: $*"; }
  ok
}
expect_grep() { grep -q -- "$1" "$2" || { echo "--- $2:"; head -20 "$2"; fail "no '$1' in $2"; }; ok; }
need_shared() { [ -d "${VW_SHARED:-/nonexistent}/data/ais" ] || { echo "SKIP: ../shared not present"; exit 77; }; }
done_ok() { echo "$(basename "$0"): $checks checks passed"; }
