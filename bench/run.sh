#!/usr/bin/env bash
# Benchmarks vesselwatch against its peers on the same inputs, in the same run:
#   vesselwatch decode FILE          (NDJSON, the default output)
#   gpsdecode -j < FILE              (gpsd 3.22, Debian gpsd-clients)
#   libais via bench/libais_decode.py (Debian python3-ais; run on a prefix, see LIBAIS_PREFIX_LINES)
# then the memory check (max RSS at 1x and 10x input) and the in-process Google Benchmark
# (BUILD_DIR/bench/bench_decode). Prints a Markdown report and writes it to BUILD_DIR/bench-results.md.
#
# usage: bench/run.sh BUILD_DIR            (BUILD_DIR holds a release build: BUILD_DIR/vesselwatch)
# env:   VW_SHARED=DIR                     real captures (default: ../shared beside the checkout)
#        LIBAIS_PREFIX_LINES=N             lines libais decodes per corpus (default 100000)
#        BENCH_CORPORA="amsa tagblock pghp"  subset of corpora to run
#        BENCH_QUICK=1                     fewer runs (for trying the script; not for published numbers)
# Inputs are built under BUILD_DIR/bench-data/ (outside the repository) and reused by later runs.
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: bench/run.sh BUILD_DIR" >&2
  exit 2
fi
BUILD=$(cd "$1" && pwd)
SRC=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${VW_SHARED:-$SRC/../shared}
VW=$BUILD/vesselwatch
DATA=$BUILD/bench-data
OUT=$DATA/results
PY=/usr/bin/python3   # the interpreter that sees Debian's python3-ais
LIBAIS_PREFIX_LINES=${LIBAIS_PREFIX_LINES:-100000}
CORPORA=${BENCH_CORPORA:-amsa tagblock pghp}
MIN_LINES=1000000

die() { echo "bench/run.sh: $*" >&2; exit 1; }
[ -x "$VW" ] || die "$VW not found: build the release preset first (cmake --preset release && cmake --build --preset release)"
for tool in gpsdecode hyperfine gzip /usr/bin/time; do
  command -v "$tool" >/dev/null || die "$tool not found: run scripts/install-deps.sh"
done
$PY -c 'import ais' 2>/dev/null || die "$PY cannot import ais: install python3-ais (scripts/install-deps.sh)"

# The slow peers get fewer runs (the whole script must stay near 10 minutes on 2 cores); the counting
# pass just before their timing warms the page cache. The .gz variant holds the same bytes, so the
# peers' message counts are taken once, on the plain file.
if [ -n "${BENCH_QUICK:-}" ]; then
  VW_RUNS=(--warmup 1 --runs 2); PEER_RUNS=(--runs 1); PEER_RUNS_GZ=(--runs 1)
else
  VW_RUNS=(--warmup 1 --runs 5); PEER_RUNS=(--runs 2); PEER_RUNS_GZ=(--runs 1)
fi
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
START_S=$(date +%s)
mkdir -p "$DATA"
# keep the previous run's raw results (hyperfine JSON, counts) one run back
if [ -d "$OUT" ]; then rm -rf "$OUT.prev"; mv "$OUT" "$OUT.prev"; fi
mkdir -p "$OUT"

# ---- inputs --------------------------------------------------------------------------------
# replicate SRC_CMD's output COPIES times (default: just enough for MIN_LINES lines); writes DEST and
# DEST.gz once.
replicate() {
  local dest=$1 src_cmd=$2 copies=${3:-}
  if [ -s "$dest" ] && [ -s "$dest.gz" ]; then return; fi
  local n
  n=$(eval "$src_cmd" | wc -l)
  [ -n "$copies" ] || copies=$(( (MIN_LINES + n - 1) / n ))
  echo "bench: building $dest ($copies x $n lines)" >&2
  : > "$dest.tmp"
  for _ in $(seq "$copies"); do eval "$src_cmd" >> "$dest.tmp"; done
  mv "$dest.tmp" "$dest"
  gzip -6 -c "$dest" > "$dest.gz"
}

declare -A DESC
if [ -d "$SHARED/data/ais" ]; then
  A=$SHARED/data/ais
  DESC[amsa]="AMSA receiver stream (amsa-risky/ais.txt.gz): plain NMEA, multi-part, corrupt lines, non-AIS sentences"
  DESC[tagblock]="Kystverket feed (kystverket/norwegian.raw): NMEA 4 tag blocks on every line"
  DESC[pghp]="DMA AisLib stream (dma-aislib/stream_example.txt): Gatehouse \$PGHP wrapper line before sentences"
  for c in $CORPORA; do
    case $c in
      amsa) replicate "$DATA/amsa.nmea" "zcat '$A/amsa-risky/ais.txt.gz'" 34 ;;  # 1.52 M lines
      tagblock) replicate "$DATA/tagblock.nmea" "cat '$A/kystverket/norwegian.raw'" ;;
      pghp) replicate "$DATA/pghp.nmea" "cat '$A/dma-aislib/stream_example.txt'" ;;
      *) die "unknown corpus $c" ;;
    esac
  done
else
  echo "bench: $SHARED/data/ais not found; using synthetic corpora (bench/gen_corpus.py)" >&2
  for c in $CORPORA; do
    style=$c; [ "$c" = amsa ] && style=plain
    DESC[$c]="synthetic ($style style, bench/gen_corpus.py)"
    if [ ! -s "$DATA/$c.nmea" ] || [ ! -s "$DATA/$c.nmea.gz" ]; then
      $PY "$SRC/bench/gen_corpus.py" --lines $((MIN_LINES + 100000)) --style "$style" "$DATA/$c.nmea"
      gzip -6 -c "$DATA/$c.nmea" > "$DATA/$c.nmea.gz"
    fi
  done
fi

# ---- whole-process timings -----------------------------------------------------------------
RESULTS=$OUT/results.tsv
printf 'corpus\tvariant\tlines\tbytes\ttool\ttimed_lines\tmsgs\thyperfine_json\n' > "$RESULTS"
count_ais() { grep -c '"class":"AIS"' || true; }

for c in $CORPORA; do
  plain=$DATA/$c.nmea
  lines=$(wc -l < "$plain")
  plines=$(( lines < LIBAIS_PREFIX_LINES ? lines : LIBAIS_PREFIX_LINES ))  # libais decodes this prefix
  for variant in plain gz; do
    if [ "$variant" = plain ]; then
      f=$plain
      vw_cmd="'$VW' decode '$f' > /dev/null"
      gpsd_cmd="gpsdecode -j < '$f' > /dev/null 2>&1"
      gpsd_count="gpsdecode -j < '$f' 2>/dev/null"
    else
      f=$plain.gz
      vw_cmd="'$VW' decode '$f' > /dev/null"
      gpsd_cmd="zcat '$f' | gpsdecode -j > /dev/null 2>&1"
    fi
    bytes=$(stat -L -c %s "$f")
    libais_cmd="$PY -W ignore '$SRC/bench/libais_decode.py' --max-lines $LIBAIS_PREFIX_LINES '$f' > /dev/null 2>&1"
    echo "bench: $c ($variant): counting messages" >&2
    n_vw=$(eval "'$VW' decode '$f' 2>/dev/null" | count_ais)
    [ "$n_vw" -gt 0 ] || n_vw=$(eval "'$VW' decode '$f' 2>/dev/null" | wc -l)
    if [ "$variant" = plain ]; then
      n_gpsd=$(eval "$gpsd_count" | count_ais)
      n_libais=$($PY -W ignore "$SRC/bench/libais_decode.py" --max-lines "$LIBAIS_PREFIX_LINES" "$f" 2>/dev/null | wc -l)
      peer_runs=("${PEER_RUNS[@]}")
    else
      peer_runs=("${PEER_RUNS_GZ[@]}")
    fi
    echo "bench: $c ($variant): timing" >&2
    hyperfine --style basic "${VW_RUNS[@]}" --export-json "$OUT/$c.$variant.vesselwatch.json" -n vesselwatch "$vw_cmd" >&2
    hyperfine --style basic "${peer_runs[@]}" --export-json "$OUT/$c.$variant.gpsdecode.json" -n gpsdecode "$gpsd_cmd" >&2
    hyperfine --style basic "${peer_runs[@]}" --export-json "$OUT/$c.$variant.libais.json" -n libais "$libais_cmd" >&2
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$c" "$variant" "$lines" "$bytes" vesselwatch "$lines" "$n_vw" "$OUT/$c.$variant.vesselwatch.json" >> "$RESULTS"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$c" "$variant" "$lines" "$bytes" gpsdecode "$lines" "$n_gpsd" "$OUT/$c.$variant.gpsdecode.json" >> "$RESULTS"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$c" "$variant" "$lines" "$bytes" libais "$plines" "$n_libais" "$OUT/$c.$variant.libais.json" >> "$RESULTS"
  done
done

# ---- memory: max RSS at 1x and 10x input ---------------------------------------------------
MEM=$OUT/memory.tsv
printf 'input\tlines\tbytes\tmax_rss_kib\n' > "$MEM"
first=$(echo "$CORPORA" | awk '{print $1}')
base=$DATA/$first.nmea
big=$DATA/$first.x10.nmea
for _ in $(seq 10); do cat "$base"; done > "$big"
max_rss_kib() {  # max RSS in KiB of `vesselwatch decode FILE`
  /usr/bin/time -o "$OUT/time.txt" -f '%M' "$VW" decode "$1" > /dev/null 2> /dev/null
  tail -n 1 "$OUT/time.txt"
}
for f in "$base" "$big"; do
  echo "bench: max RSS of vesselwatch decode $(basename "$f")" >&2
  printf '%s\t%s\t%s\t%s\n' "$(basename "$f")" "$(wc -l < "$f")" "$(stat -L -c %s "$f")" "$(max_rss_kib "$f")" >> "$MEM"
done
printf '%s\t%s\t%s\t%s\n' "$(basename "$base.gz")" "$(wc -l < "$base")" "$(stat -L -c %s "$base.gz")" \
  "$(max_rss_kib "$base.gz")" >> "$MEM"
rm -f "$big"   # 10x the corpus: too big to keep around

# ---- in-process: Google Benchmark ----------------------------------------------------------
GB=$BUILD/bench/bench_decode
GB_JSON=$OUT/bench_decode.json
# One thread pinned to one CPU (the issue's target is per core): without it the scheduler moves the
# thread between the two cores of the machine now and then, and each move starts it on a cold cache.
GB_PIN=()
if command -v taskset > /dev/null 2>&1 && taskset -c 0 true 2> /dev/null; then GB_PIN=(taskset -c 0); fi
if [ -x "$GB" ]; then
  echo "bench: in-process benchmark $GB on $base${GB_PIN[*]:+ (${GB_PIN[*]})}" >&2
  VW_BENCH_CORPUS=$base ${GB_PIN[@]+"${GB_PIN[@]}"} "$GB" --benchmark_min_time=2 --benchmark_repetitions=3 \
    --benchmark_report_aggregates_only=true --benchmark_out="$GB_JSON" --benchmark_out_format=json >&2
else
  echo "bench: $GB not built; skipping the in-process benchmark" >&2
  rm -f "$GB_JSON"
fi

# ---- report --------------------------------------------------------------------------------
DESC_TSV=$OUT/corpora.tsv
: > "$DESC_TSV"
for c in $CORPORA; do printf '%s\t%s\n' "$c" "${DESC[$c]}" >> "$DESC_TSV"; done
$PY "$SRC/bench/report.py" --results "$RESULTS" --memory "$MEM" --corpora "$DESC_TSV" \
  --gbench "$GB_JSON" --gbench-pin "${GB_PIN[*]:-}" --libais-prefix "$LIBAIS_PREFIX_LINES" --vw "$VW" \
  --command "bench/run.sh $1" --load-start "$LOAD_START" --elapsed-s $(( $(date +%s) - START_S )) \
  > "$BUILD/bench-results.md"
cat "$BUILD/bench-results.md"
echo "bench: report written to $BUILD/bench-results.md" >&2
