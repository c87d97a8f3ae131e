#!/usr/bin/env bash
# A long fuzz run of one target, for docs/reliability.md: runs BUILD_DIR/fuzz/TARGET for SECONDS with the
# same seeds and limits as run-fuzzers.sh (CI's short runs), keeps the grown corpus and any crash inputs
# under OUT_DIR/TARGET/, and prints one Markdown table row:
#   | target | date | duration | executions | corpus | crashes found | open |
# A crash does not stop the report: the row says what was found; the exit status is 1 then.
# usage: scripts/fuzz-long.sh BUILD_DIR TARGET SECONDS OUT_DIR
set -euo pipefail
[ $# -eq 4 ] || { echo "usage: scripts/fuzz-long.sh BUILD_DIR TARGET SECONDS OUT_DIR" >&2; exit 2; }
BUILD_DIR=$1; NAME=$2; SECS=$3; OUT=$4
. "$(dirname "$0")/fuzz-seeds.sh"
bin=$BUILD_DIR/fuzz/$NAME
[ -x "$bin" ] || { echo "fuzz-long: no fuzz target $bin" >&2; exit 2; }
dir=$OUT/$NAME
mkdir -p "$dir/corpus" "$dir/artifacts"
mapfile -t seeds < <(fuzz_seed_dirs "$NAME" "$dir")
start=$(date -u +%Y-%m-%dT%H:%MZ)
t0=$(date +%s)
status=0
# -fork keeps going after a crash (each crash is saved); one job so it stays on one core.
"$bin" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 -max_total_time="$SECS" -timeout=10 \
  -rss_limit_mb=2048 -max_len=4096 -artifact_prefix="$dir/artifacts/" "$dir/corpus" "${seeds[@]}" \
  > "$dir/log" 2>&1 || status=$?
t1=$(date +%s)
# libFuzzer's fork mode prints "#N ... exec/s: E ... crashes: C" lines; the last one has the totals.
last=$(grep -E '^#[0-9]+: cov: ' "$dir/log" | tail -1 || true)
execs=$(sed -nE 's/.*total_execs: ([0-9]+).*/\1/p' <<<"$last")
[ -n "$execs" ] || execs=$(sed -nE 's/^#([0-9]+):.*/\1/p' <<<"$last")
crashes=$(find "$dir/artifacts" -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
units=$(find "$dir/corpus" -type f | wc -l)
kb=$(du -sk "$dir/corpus" | cut -f1)
echo "| $NAME | $start | $(( (t1 - t0) / 60 )) min | ${execs:-?} | $units inputs, $kb KiB | $crashes | $crashes |"
[ "$crashes" -eq 0 ] && [ "$status" -eq 0 ] || exit 1
