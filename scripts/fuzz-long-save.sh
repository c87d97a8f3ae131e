#!/usr/bin/env bash
# Keeps the long fuzz runs (scripts/fuzz-long.sh) that have not reached their CPU goal when a work
# session ends, so that the next machine continues them instead of starting over. For each TARGET under
# OUT_DIR whose segments add up to less than CPU_SECONDS, it copies to DEST_DIR/TARGET/ (replacing what
# was there):
#   segments/*.tsv   the segment records (start, wall s, CPU s, executions): what the row counts
#   corpus/          the grown corpus, minimized with libFuzzer's -merge=1 (same coverage, fewer files)
#   artifacts/       any crash, leak, timeout or slow-unit input, as found
# (Which commit BUILD_DIR was built from is for the caller to record, in the commit that keeps DEST_DIR.)
# Targets that reached the goal are skipped (their row goes to docs/reliability.md). DEST_DIR is meant to
# be committed (fuzz/long-runs). To continue on another machine: copy DEST_DIR/TARGET into an OUT_DIR and
# run scripts/fuzz-long.sh with that OUT_DIR; a segment still running while this script reads it counts
# up to its last 10-s record, as when it is killed.
# usage: scripts/fuzz-long-save.sh BUILD_DIR OUT_DIR DEST_DIR [CPU_SECONDS]   (default 3600)
set -euo pipefail
[ $# -eq 3 ] || [ $# -eq 4 ] || { echo "usage: scripts/fuzz-long-save.sh BUILD_DIR OUT_DIR DEST_DIR [CPU_SECONDS]" >&2; exit 2; }
BUILD_DIR=$1; OUT=$2; DEST=$3; GOAL=${4:-3600}
shopt -s nullglob
for dir in "$OUT"/fuzz_*/; do
  name=$(basename "$dir")
  tsvs=("$dir"segments/*.tsv)
  [ ${#tsvs[@]} -gt 0 ] || continue
  cpu=$(cat "${tsvs[@]}" | awk '{c += $3} END {print c + 0}')
  if [ "$cpu" -ge "$GOAL" ]; then
    echo "fuzz-long-save: $name has $cpu s of CPU time (goal $GOAL): done, not kept" >&2
    continue
  fi
  bin=$BUILD_DIR/fuzz/$name
  [ -x "$bin" ] || { echo "fuzz-long-save: no fuzz target $bin" >&2; exit 2; }
  keep=$DEST/$name
  rm -rf "$keep.new"
  mkdir -p "$keep.new/segments" "$keep.new/corpus" "$keep.new/artifacts"
  cp "${tsvs[@]}" "$keep.new/segments/"
  artifacts=("$dir"artifacts/*)
  [ ${#artifacts[@]} -eq 0 ] || cp "${artifacts[@]}" "$keep.new/artifacts/"
  "$bin" -merge=1 -rss_limit_mb=2048 -max_len=4096 "$keep.new/corpus" "$dir"corpus > "$keep.new/merge.log" 2>&1 || {
    echo "fuzz-long-save: merging the corpus of $name failed; see $keep.new/merge.log" >&2; exit 1; }
  rm "$keep.new/merge.log"
  rm -rf "$keep"
  mv "$keep.new" "$keep"
  echo "fuzz-long-save: $name: $cpu s of CPU time in ${#tsvs[@]} segments, $(find "$keep/corpus" -type f | wc -l) corpus inputs kept in $keep" >&2
done
