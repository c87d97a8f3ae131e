#!/usr/bin/env bash
# Speed of `vesselwatch simulate` on the dense-day scenario (11,088 vessels, one day), in a Release
# build: wall and CPU time, max RSS, lines/s; at the full ITU-R M.1371 rates (the scenario's default)
# and coarsened six-fold (--interval-scale 6). For scale, the same run also times `vesselwatch decode` of
# the generated file (the consumer of these lines) and gzip -1 of it: the simulator should not be the
# slow part of a benchmark pipeline. Prints a Markdown table; the machine load (uptime) is part of it.
#   bench/bench_simulate.sh build/release [OUT_DIR]
set -euo pipefail
BUILD=${1:?usage: bench_simulate.sh BUILD_DIR [OUT_DIR]}
OUT=${2:-$BUILD/bench-data/simulate}
VW=$BUILD/vesselwatch
mkdir -p "$OUT"
command -v /usr/bin/time >/dev/null || { echo "bench_simulate: needs /usr/bin/time (Debian package time)" >&2; exit 1; }

run() {  # label, output file, command... -> one table row
  local label=$1 file=$2; shift 2
  /usr/bin/time -f "%e %U %S %M" -o "$OUT/time.txt" "$@" 2> "$OUT/stderr.txt" > /dev/null
  read -r wall user sys rss < "$OUT/time.txt"
  local lines
  lines=$(wc -l < "$file")
  awk -v l="$label" -v n="$lines" -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" 'BEGIN {
    printf "| %s | %d | %.1f | %.1f | %.2f | %.0f |\n", l, n, w, u + s, n / (u + s) / 1e6, r / 1024 }'
}

echo "# vesselwatch simulate: dense-day ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores)"
echo
echo "load before: $(uptime)"
echo
echo "| run | lines | wall s | CPU s | M lines per CPU s | max RSS MB |"
echo "|---|---:|---:|---:|---:|---:|"
run "simulate dense-day --interval-scale 6 -> file" "$OUT/dense.nmea" \
  "$VW" simulate dense-day -q --interval-scale 6 -o "$OUT/dense.nmea"
run "decode the same file -> /dev/null (NDJSON)" "$OUT/dense.nmea" "$VW" decode -q "$OUT/dense.nmea" -o /dev/null
run "gzip -1 of the same file" "$OUT/dense.nmea" gzip -1 -k -f "$OUT/dense.nmea"
rm -f "$OUT/dense.nmea.gz"
run "simulate dense-day (full ITU-R M.1371 rates, the default) -> file" "$OUT/dense1.nmea" \
  "$VW" simulate dense-day -q -o "$OUT/dense1.nmea"
echo
echo "load after: $(uptime)"
rm -f "$OUT/dense.nmea" "$OUT/dense1.nmea"
