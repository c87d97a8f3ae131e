#!/usr/bin/env bash
# Differential test: `vesselwatch decode` against gpsd's `gpsdecode -j`, message by message and field by
# field, on every real capture in ../shared/data/ais (plain and .gz). Disagreements must be listed in
# tests/cli/gpsd_diff_allow.tsv with who is right per ITU-R M.1371 / the AIVDM documentation
# (docs/gpsd-differences.md has the write-up). Skips (exit 77) without ../shared or gpsdecode.
#
# env (set by ctest, tests/CMakeLists.txt): VW, VW_SHARED, VW_SRC, VW_TMP
set -euo pipefail

: "${VW:?VW must name the vesselwatch binary}"
VW_SRC=${VW_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
VW_SHARED=${VW_SHARED:-$VW_SRC/../shared}
VW_TMP=${VW_TMP:-$(mktemp -d)}
PY=/usr/bin/python3   # the Debian interpreter (the differential script needs only its standard library)

if [ ! -d "$VW_SHARED/data/ais" ]; then
  echo "SKIP: $VW_SHARED/data/ais not found (the real captures live in ../shared beside the checkout)"
  exit 77
fi
if ! command -v gpsdecode >/dev/null 2>&1; then
  echo "SKIP: gpsdecode not found (Debian package gpsd-clients; scripts/install-deps.sh installs it)"
  exit 77
fi
if [ ! -x "$PY" ]; then
  echo "SKIP: $PY not found"
  exit 77
fi
[ -x "$VW" ] || { echo "FAIL: VW=$VW is not executable"; exit 1; }

mkdir -p "$VW_TMP"
# Every capture: NMEA text files and their .gz; not the expected-decode JSON files or the manifest.
mapfile -t files < <(find "$VW_SHARED/data/ais" -type f ! -name '*.json' ! -name '*.tsv' ! -name '*.md' | LC_ALL=C sort)
[ ${#files[@]} -gt 0 ] || { echo "SKIP: no captures under $VW_SHARED/data/ais"; exit 77; }

exec "$PY" "$VW_SRC/tests/cli/gpsd_diff.py" --vw "$VW" --allow "$VW_SRC/tests/cli/gpsd_diff_allow.tsv" \
  --save-dir "$VW_TMP" "${files[@]}"
