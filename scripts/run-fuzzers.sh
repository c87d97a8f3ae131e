#!/usr/bin/env bash
# Runs every libFuzzer target in BUILD_DIR/fuzz for SECONDS each, starting from the seed corpus in
# fuzz/corpus/<target>/ when present. Fails on the first crash, leak or timeout; prints a summary.
set -euo pipefail
BUILD_DIR=${1:?usage: run-fuzzers.sh BUILD_DIR SECONDS}
SECONDS_EACH=${2:-60}
. "$(dirname "$0")/fuzz-seeds.sh"
shopt -s nullglob
targets=("$BUILD_DIR"/fuzz/fuzz_*)
if [ ${#targets[@]} -eq 0 ]; then echo "run-fuzzers: no fuzz targets in $BUILD_DIR/fuzz" >&2; exit 1; fi
passed=0; failed=0
for t in "${targets[@]}"; do
  [ -x "$t" ] || continue
  name=$(basename "$t")
  work=$(mktemp -d)
  mapfile -t seeds < <(fuzz_seed_dirs "$name" "$work")
  echo "== $name: ${SECONDS_EACH}s"
  mkdir -p "$work/corpus"
  if "$t" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 -max_len=4096 \
       -artifact_prefix="$work/" "$work/corpus" "${seeds[@]}" > "$work/log" 2>&1; then
    grep -E '^(#[0-9]+\s+DONE|Done)' "$work/log" | tail -1 || true
    passed=$((passed + 1))
  else
    echo "run-fuzzers: $name FAILED; last lines of its log:" >&2
    tail -40 "$work/log" >&2
    ls "$work"/crash-* "$work"/leak-* "$work"/timeout-* 2>/dev/null >&2 || true
    failed=$((failed + 1))
  fi
  rm -rf "$work"
done
echo "fuzz: $passed targets ran clean, $failed crashed"
[ "$failed" -eq 0 ]
