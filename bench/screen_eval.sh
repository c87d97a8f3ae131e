#!/usr/bin/env bash
# Name-matching quality and screening speed for docs/benchmarks.md ("## Screening").
# Usage: bench/screen_eval.sh BUILD_DIR [SHARED_DIR]   (BUILD_DIR configured with CMAKE_BUILD_TYPE=Release)
set -euo pipefail
BUILD=${1:?usage: screen_eval.sh BUILD_DIR [SHARED_DIR]}
SHARED=${2:-$(cd "$(dirname "$0")/../.." && pwd)/shared}
[ -d "$SHARED/data/eval/names" ] || { echo "screen_eval: $SHARED/data/eval/names not found" >&2; exit 1; }
echo "## name matching: nomenklatura name_bench cases.csv, logic-v2 frozen scores on the same pairs"
"$BUILD/bench/bench_screen_eval" "$SHARED"
echo
echo "## screening speed: OFAC SDN CSV + UN consolidated XML, one core"
VW_SHARED="$SHARED" taskset -c 0 "$BUILD/bench/bench_screen" --benchmark_counters_tabular=true
