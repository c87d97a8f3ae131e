#!/usr/bin/env bash
# Track store benchmark: NMEA -> store and CSV -> store throughput (whole process), bytes per stored
# position (database file size / positions, indexes included), full-scan positions/s and one vessel's
# 6-hour track query. The CSV case is a MarineCadastre-shaped CSV of the same traffic (one row per
# type 1 report heard by the first receiver, with the vessel's static data on every row, as NOAA
# publishes it).
#
# usage: bench/ingest.sh BUILD_DIR        (a Release build with BUILD_DIR/vesselwatch and
#                                          BUILD_DIR/bench/bench_store)
# env:   BENCH_VESSELS=N (default 2000), BENCH_HOURS=H (default 6), BENCH_ROUNDS=R (default 5): each
#        ingest runs R times into a fresh store; the table gives the median wall time with the fastest
#        and slowest run, and the median CPU time (user + system). On a 2-core virtual machine one run
#        can vary by 1.5x with what else runs (other processes, the host); the median of several is
#        the figure to quote, with the load the table prints.
# Input: synthetic traffic (straight tracks, type 1 every 8-12 s, type 5 every 6 min, 20% heard by a
# second receiver), generated under BUILD_DIR/bench-data/ as gpsd JSON and encoded with
# 'vesselwatch encode'; reused by later runs. Synthetic tracks are smoother than real ones: the
# bytes/position figure is a lower bound of what real data gives.
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: bench/ingest.sh BUILD_DIR" >&2; exit 2; }
BUILD=$(cd "$1" && pwd)
VW=$BUILD/vesselwatch
VESSELS=${BENCH_VESSELS:-2000}
HOURS=${BENCH_HOURS:-6}
DATA=$BUILD/bench-data
mkdir -p "$DATA"
IN=$DATA/tracks-${VESSELS}x${HOURS}h.nmea
CSV=$DATA/tracks-${VESSELS}x${HOURS}h.csv
if [ ! -s "$IN" ] || [ ! -s "$CSV" ]; then
  python3 - "$VESSELS" "$HOURS" > "$DATA/tracks.ndjson" <<'PY'
import datetime, json, math, random, sys
n, hours = int(sys.argv[1]), int(sys.argv[2])
rng = random.Random(11)
t0 = 1700000000
iso = lambda t: datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")
ev = []
for v in range(n):
    mmsi = 200000000 + v * 1013
    lat, lon, sog, cog = rng.uniform(-60, 60), rng.uniform(-170, 170), rng.uniform(0, 18), rng.uniform(0, 360)
    t = t0 + rng.randrange(0, 10)
    while t < t0 + hours * 3600:
        d = sog * 10 / 3600 / 60
        lat += d * math.cos(math.radians(cog)); lon += d * math.sin(math.radians(cog)) / max(0.1, math.cos(math.radians(lat)))
        if rng.random() < 0.01: cog = (cog + rng.uniform(-30, 30)) % 360
        ev.append((t, {"class":"AIS","type":1,"repeat":0,"mmsi":mmsi,"scaled":True,"status":0,"turn":0,
            "speed":round(sog + rng.uniform(-0.3, 0.3), 1) if sog > 0.3 else 0.0,"accuracy":False,"lon":round(lon, 6),"lat":round(lat, 6),
            "course":round((cog + rng.uniform(-2, 2)) % 360, 1),"heading":int(cog) % 360,"second":t % 60,
            "maneuver":0,"raim":False,"radio":rng.randrange(0, 1 << 19)}))
        if (t - t0) % 360 < 10:
            ev.append((t + 1, {"class":"AIS","type":5,"repeat":0,"mmsi":mmsi,"scaled":True,"imo":9074729,
                "ais_version":2,"callsign":"CS%04d" % v,"shipname":"VESSEL %d" % v,"shiptype":70,"to_bow":90,
                "to_stern":20,"to_port":8,"to_starboard":8,"epfd":1,"eta":"01-01T00:00Z","draught":7.5,
                "destination":"PORT","dte":0}))
        t += rng.randrange(8, 13)
ev.sort(key=lambda e: e[0])
w = sys.stdout.write
for t, m in ev:
    m["rxtime"] = iso(t); m["station"] = "S1"; w(json.dumps(m, separators=(",", ":")) + "\n")
    if rng.random() < 0.2:
        m["rxtime"] = iso(t + 1); m["station"] = "S2"; w(json.dumps(m, separators=(",", ":")) + "\n")
PY
  "$VW" encode --lf -q "$DATA/tracks.ndjson" > "$IN"
  python3 - "$DATA/tracks.ndjson" > "$CSV" <<'PY'
import json, sys
static = {}
w = sys.stdout.write
w("MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO,CallSign,VesselType,Status,Length,Width,Draft,Cargo,TransceiverClass\n")
for line in open(sys.argv[1]):
    m = json.loads(line)
    if m["station"] != "S1":
        continue
    if m["type"] == 5:
        static[m["mmsi"]] = m
        continue
    s = static.get(m["mmsi"])
    t = m["rxtime"][:19]
    if s:
        ident = f'{s["shipname"]},IMO{s["imo"]},{s["callsign"]},{s["shiptype"]},0,{s["to_bow"] + s["to_stern"]},{s["to_port"] + s["to_starboard"]},{s["draught"]},{s["shiptype"]},A'
    else:
        ident = ",,,,0,,,,,A"
    w(f'{m["mmsi"]},{t},{m["lat"]:.5f},{m["lon"]:.5f},{m["speed"]:.1f},{m["course"]:.1f},{m["heading"]},{ident}\n')
PY
  rm -f "$DATA/tracks.ndjson"
fi
ROUNDS=${BENCH_ROUNDS:-5}
# run_rounds DB OUT_JSON OPTIONS INPUT: ROUNDS fresh ingests; prints "median min max cpu_median" (seconds)
run_rounds() {
  local db=$1 out=$2 opts=$3 input=$4 k
  local times=()
  for k in $(seq "$ROUNDS"); do
    rm -f "$db" "$db-wal" "$db-shm"
    /usr/bin/time -f "%e %U %S" -o "$DATA/time.txt" "$VW" ingest -q --stats $opts "$db" "$input" > "$out"
    times+=("$(cat "$DATA/time.txt")")
  done
  printf '%s\n' "${times[@]}" | python3 -c '
import statistics, sys
rows = [list(map(float, l.split())) for l in sys.stdin if l.strip()]
wall = [r[0] for r in rows]; cpu = [r[1] + r[2] for r in rows]
print(f"{statistics.median(wall):.3f} {min(wall):.3f} {max(wall):.3f} {statistics.median(cpu):.2f}")'
}
DB=$DATA/bench.vw
lines=$(wc -l < "$IN")
bytes=$(stat -L -c %s "$IN")
load0=$(uptime | sed 's/.*load average: //')
read -r secs smin smax scpu < <(run_rounds "$DB" "$DATA/ingest.json" "" "$IN")
"$VW" info --json "$DB" > "$DATA/info.json"
read -r msgs positions per_pos dbbytes < <(python3 -c '
import json,sys
s=json.load(open(sys.argv[1])); i=json.load(open(sys.argv[2]))
print(s["files"][0]["messages"], i["positions"], i["bytes_per_position"], i["bytes"])' "$DATA/ingest.json" "$DATA/info.json")
rate() { python3 -c "print(f'{$1/$2/1e6:.2f}')"; }
echo "## Store and ingest benchmark ($(date -u +%Y-%m-%d), $(nproc) cores, median of $ROUNDS runs)"
echo
echo "| measure | value |"
echo "|---|---|"
echo "| input | $lines NMEA lines, $bytes bytes, $VESSELS vessels, $HOURS h (synthetic) |"
echo "| ingest wall time (whole process, sha256 included) | ${secs} s (runs: ${smin}–${smax} s); CPU ${scpu} s |"
echo "| ingest rate | $(rate "$msgs" "$secs") M msgs/s ($(rate "$lines" "$secs") M lines/s); fastest run $(rate "$msgs" "$smin"), slowest $(rate "$msgs" "$smax") M msgs/s |"
echo "| positions stored | $positions |"
echo "| database size | $dbbytes bytes = $per_pos bytes/position (indexes, identities, provenance included) |"
# CSV -> store, same traffic (MarineCadastre shape)
CDB=$DATA/bench-csv.vw
rows=$(($(wc -l < "$CSV") - 1))
cbytes=$(stat -L -c %s "$CSV")
read -r csecs cmin cmax ccpu < <(run_rounds "$CDB" "$DATA/ingest-csv.json" --no-screen "$CSV")
cpos=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["files"][0]["positions"])' "$DATA/ingest-csv.json")
echo "| CSV input | $rows MarineCadastre-shaped rows, $cbytes bytes (same traffic, first receiver) |"
echo "| CSV ingest wall time (whole process, sha256 included) | ${csecs} s (runs: ${cmin}–${cmax} s); CPU ${ccpu} s = $(rate "$rows" "$csecs") M rows/s; fastest run $(rate "$rows" "$cmin"), slowest $(rate "$rows" "$cmax") M rows/s; $cpos positions |"
echo "| load before / after the ingest runs | $load0 / $(uptime | sed 's/.*load average: //') (1/5/15 min) |"
if [ -x "$BUILD/bench/bench_store" ]; then
  VW_BENCH_STORE=$DB VW_BENCH_MMSI=200001013 VW_BENCH_FROM_MS=1700003600000 \
    "$BUILD/bench/bench_store" --benchmark_format=json > "$DATA/bench_store.json" 2>/dev/null
  python3 - "$DATA/bench_store.json" <<'PY'
import json, sys
for b in json.load(open(sys.argv[1]))["benchmarks"]:
    if b["name"].startswith("BM_ScanAllPositions"):
        print(f"| full scan, one core | {b['positions/s']/1e6:.1f} M positions/s |")
    if b["name"].startswith("BM_TrackOneDay"):
        print(f"| one vessel, 6 h track query | {b['real_time']:.2f} ms ({int(b['positions'])} positions) |")
PY
fi
