#!/usr/bin/env bash
# Crash safety of ingest (issue 3): kill -9 an ingest of a generated input at several random moments;
# after each kill the database must open, hold only complete batches (no interrupted file shown by
# queries), and re-running the same command must end with exactly the counts of an uninterrupted
# ingest into a fresh database (no duplicates, nothing missing).
source "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || { echo "SKIP: python3 needed to generate the input"; exit 77; }

VESSELS=${CRASH_VESSELS:-200}
HOURS=${CRASH_HOURS:-5}
KILLS=${CRASH_KILLS:-5}

# Synthetic traffic: VESSELS ships on straight courses, a type 1 report every ~10 s and a type 5 every
# 6 min, two receivers (20% of messages heard by both), as gpsd JSON -> 'vesselwatch encode' -> NMEA.
python3 - "$VESSELS" "$HOURS" > "$VW_TMP/traffic.ndjson" <<'PY'
import json, math, random, sys
n, hours = int(sys.argv[1]), int(sys.argv[2])
rng = random.Random(7)
t0 = 1700000000
def iso(t): 
    import datetime
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")
events = []
for v in range(n):
    mmsi = 273000000 + v * 7
    lat, lon = rng.uniform(30, 60), rng.uniform(120, 160)
    sog, cog = rng.uniform(0, 15), rng.uniform(0, 360)
    t = t0 + rng.randrange(0, 10)
    while t < t0 + hours * 3600:
        d = sog * 10 / 3600 / 60
        lat += d * math.cos(math.radians(cog)); lon += d * math.sin(math.radians(cog)) / math.cos(math.radians(lat))
        m = {"class": "AIS", "type": 1, "repeat": 0, "mmsi": mmsi, "scaled": True, "status": 0, "turn": 0,
             "speed": round(sog, 1), "accuracy": False, "lon": round(lon, 6), "lat": round(lat, 6),
             "course": round(cog, 1), "heading": int(cog) % 360, "second": t % 60, "maneuver": 0,
             "raim": False, "radio": rng.randrange(0, 1 << 19)}
        events.append((t, m))
        if (t - t0) % 360 < 10:
            events.append((t + 1, {"class": "AIS", "type": 5, "repeat": 0, "mmsi": mmsi, "scaled": True,
                "imo": 9000000 + v, "ais_version": 2, "callsign": "UB%04d" % v, "shipname": "SHIP %d" % v,
                "shiptype": 80, "to_bow": 100, "to_stern": 20, "to_port": 10, "to_starboard": 10, "epfd": 1,
                "eta": "01-01T00:00Z", "draught": 7.5, "destination": "PORT %d" % (v % 5), "dte": 0}))
        t += rng.randrange(8, 13)
events.sort(key=lambda e: e[0])
out = sys.stdout
for t, m in events:
    m["rxtime"] = iso(t); m["station"] = "S1"
    out.write(json.dumps(m, separators=(",", ":")) + "\n")
    if rng.random() < 0.2:
        m["rxtime"] = iso(t + 1); m["station"] = "S2"
        out.write(json.dumps(m, separators=(",", ":")) + "\n")
PY
"$VW" encode --lf -q "$VW_TMP/traffic.ndjson" > "$VW_TMP/traffic.nmea"
lines=$(wc -l < "$VW_TMP/traffic.nmea")
[ "$lines" -gt 100000 ] || fail "generated only $lines lines"; ok

# Reference: one uninterrupted ingest.
expect_exit 0 "$VW" ingest -q --batch 2000 "$VW_TMP/ref.vw" "$VW_TMP/traffic.nmea"
"$VW" info --json "$VW_TMP/ref.vw" > "$VW_TMP/ref.json"
ref_counts() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["positions"], d["identities"], d["vessels"], sum(f["complete"] for f in d["files"]), len(d["files"]))' "$1"; }
want=$(ref_counts "$VW_TMP/ref.json")
"$VW" track "$VW_TMP/ref.vw" --mmsi 273000007 -f csv --with-source > "$VW_TMP/ref_track.csv"

db="$VW_TMP/crash.vw"
killed=0
for k in $(seq 1 "$KILLS"); do
  "$VW" ingest -q --batch 2000 "$db" "$VW_TMP/traffic.nmea" 2>/dev/null &
  pid=$!
  sleep "0.$(( (RANDOM % 9) + 1 ))$(( RANDOM % 10 ))"
  if kill -9 "$pid" 2>/dev/null; then killed=$((killed + 1)); fi
  wait "$pid" 2>/dev/null || true
  # The database opens and answers; an interrupted file is listed as such and shows no positions.
  expect_exit 0 "$VW" info --json "$db"
  python3 - "$VW_TMP/out" <<'PY' || fail "after kill $k: inconsistent store"
import json, sys
d = json.load(open(sys.argv[1]))
done = [f for f in d["files"] if f["complete"]]
assert len(d["files"]) <= 1, d["files"]
if not done:
    assert d["positions"] == 0, d["positions"]
PY
  ok
done
echo "killed $killed of $KILLS ingests mid-run"

# Re-run: completes with exactly the reference counts, and the same track with the same references.
expect_exit 0 "$VW" ingest --batch 2000 "$db" "$VW_TMP/traffic.nmea"
"$VW" info --json "$db" > "$VW_TMP/crash.json"
got=$(ref_counts "$VW_TMP/crash.json")
[ "$got" = "$want" ] || fail "after re-run: positions identities vessels complete files = $got, expected $want"; ok
"$VW" track "$db" --mmsi 273000007 -f csv --with-source > "$VW_TMP/crash_track.csv"
cmp -s "$VW_TMP/ref_track.csv" "$VW_TMP/crash_track.csv" || fail "track differs after crash + re-run"; ok
# And once more: nothing added.
expect_exit 0 "$VW" ingest -q "$db" "$VW_TMP/traffic.nmea"
"$VW" info --json "$db" > "$VW_TMP/again.json"
[ "$(ref_counts "$VW_TMP/again.json")" = "$want" ] || fail "second ingest of the same file changed the store"; ok
done_ok
