#!/usr/bin/env bash
# Runs every libFuzzer target in BUILD_DIR/fuzz for SECONDS each, starting from the seed corpus in
# fuzz/corpus/<target>/ when present. Fails on the first crash, leak or timeout; prints a summary.
set -euo pipefail
BUILD_DIR=${1:?usage: run-fuzzers.sh BUILD_DIR SECONDS}
SECONDS_EACH=${2:-60}
SRC=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${VW_SHARED:-$SRC/../shared}
shopt -s nullglob
targets=("$BUILD_DIR"/fuzz/fuzz_*)
if [ ${#targets[@]} -eq 0 ]; then echo "run-fuzzers: no fuzz targets in $BUILD_DIR/fuzz" >&2; exit 1; fi
passed=0; failed=0
for t in "${targets[@]}"; do
  [ -x "$t" ] || continue
  name=$(basename "$t")
  work=$(mktemp -d)
  seeds=()
  [ -d "$SRC/fuzz/corpus/$name" ] && seeds+=("$SRC/fuzz/corpus/$name")
  # Seed from the real captures and lists in ../shared when present (never required).
  if [ -d "$SHARED/data" ]; then
    mkdir -p "$work/seed"
    case "$name" in
      fuzz_nmea_*|fuzz_io_*|fuzz_ais_payload)
        for f in "$SHARED"/data/ais/*/*.nmea "$SHARED"/data/ais/kystverket/norwegian.raw \
                 "$SHARED"/data/ais/dma-aislib/stream_example.txt "$SHARED"/data/ais/libais/*.nmea; do
          [ -f "$f" ] || continue
          head -c 3000 "$f" > "$work/seed/$(basename "$f").seed"
        done ;;
      fuzz_ais_json)
        printf '%s\n' '{"class":"AIS","type":1,"repeat":0,"mmsi":367033650,"scaled":true,"status":0,"turn":"nan","speed":8.6,"accuracy":false,"lon":-70.346905,"lat":42.798550,"course":35.9,"heading":511,"second":56,"maneuver":0,"raim":false,"radio":100422}' > "$work/seed/t1.json" ;;
      fuzz_screen_un_xml) for f in "$SHARED"/data/sanctions/un/*.xml; do head -c 4000 "$f" > "$work/seed/$(basename "$f")"; done ;;
      fuzz_screen_uk_xml) for f in "$SHARED"/data/sanctions/uk/*.xml; do head -c 4000 "$f" > "$work/seed/$(basename "$f")"; done ;;
      fuzz_screen_ofac_xml) for f in "$SHARED"/data/sanctions/ofac/consolidated_nonsdn/*.xml; do [ -f "$f" ] && head -c 4000 "$f" > "$work/seed/$(basename "$f")"; done ;;
      fuzz_screen_ofac_csv) head -c 4000 "$SHARED/data/sanctions/ofac/sdn_2024-05-03.csv" > "$work/seed/sdn.csv" ;;
      fuzz_screen_ftm_json) for f in "$SHARED"/data/sanctions/opensanctions/*; do [ -f "$f" ] && head -c 4000 "$f" > "$work/seed/$(basename "$f")"; done ;;
    esac
    seeds+=("$work/seed")
  fi
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
