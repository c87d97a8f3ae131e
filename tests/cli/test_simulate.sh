#!/usr/bin/env bash
# vesselwatch simulate: a small scenario on the real route (coastline-checked) -> NMEA that decodes
# with zero errors, byte-identical for a seed, ingested into a store whose tracks agree with the truth
# file (no positions inside a dark period, positions outside it, the rename in the identity history);
# a leg across land and a missing coastline are clear errors. Skips when the coastline (npm
# world-atlas) is not installed.
source "$(dirname "$0")/lib.sh"
COAST="$VW_SRC/node_modules/world-atlas/land-10m.json"
[ -f "$COAST" ] || { echo "SKIP: $COAST not installed (scripts/install-deps.sh runs npm ci)"; exit 77; }

cat > "$VW_TMP/small.toml" <<'TOML'
[scenario]
name = "cli-small"
start = 2024-03-10T00:00:00Z
duration_hours = 6
seed = 3

[[stations]]
id = "POSYET"
at = [42.65, 130.80]
range_nm = 60
[[stations]]
id = "NAKHODKA"
at = [42.80, 132.90]
range_nm = 60

[[ports]]
name = "Rajin"
at = [42.2333, 130.3000]
[[ports]]
name = "Vostochny"
at = [42.7634, 133.0041]

[[lanes]]
name = "gulf"
waypoints = ["Rajin", [42.15, 130.5], [42.3, 131.3], [42.55, 132.4], [42.65, 132.95], "Vostochny"]
width_nm = 2

[[traffic]]
kind = "cargo"
count = 20
lanes = ["gulf"]

[[vessels]]
id = "lady_r"
name = "LADY R"
imo = 9161003
mmsi = 273990001
speed_knots = 14
itinerary = [
  { port = "Rajin", until = 2024-03-10T01:00:00Z, dark = true, dark_radius_nm = 10 },
  { at = [42.15, 130.5] },
  { at = [42.3, 131.3] },
  { at = [42.55, 132.4] },
]

[[behaviours]]
type = "rename"
vessel = "lady_r"
at = 2024-03-10T03:00:00Z
name = "LADY SIM"

[[behaviours]]
type = "ais_off"
vessel = "lady_r"
start = 2024-03-10T04:00:00Z
end = 2024-03-10T05:00:00Z
TOML

# help, list, errors
expect_exit 0 "$VW" simulate --help
expect_grep "SIM-<station>" "$VW_TMP/out"
expect_exit 0 "$VW" simulate --list
expect_grep "rajin-vostochny" "$VW_TMP/out"
expect_grep "dense-day" "$VW_TMP/out"
expect_exit 1 "$VW" simulate no-such-scenario
expect_grep "no bundled scenario of that name" "$VW_TMP/err"
expect_exit 1 "$VW" simulate "$VW_TMP/small.toml" --coastline "$VW_TMP/none.json" -o "$VW_TMP/x.nmea"
expect_grep "coastline dataset" "$VW_TMP/err"
expect_exit 2 "$VW" simulate "$VW_TMP/small.toml" --seed abc

# an itinerary entry inland (Primorye) is an error naming the file, line and vessel
sed 's/{ at = \[42.55, 132.4\] },/{ at = [42.55, 132.4] },\n  { at = [43.5, 133.5] },/' "$VW_TMP/small.toml" > "$VW_TMP/land.toml"
expect_exit 1 "$VW" simulate "$VW_TMP/land.toml" --coastline "$COAST" --check
expect_grep "land.toml:4[0-9]" "$VW_TMP/err"
expect_grep "vessel 'lady_r'" "$VW_TMP/err"
expect_grep "on land\|crosses land" "$VW_TMP/err"

# simulate twice: byte-identical; another seed differs; gzip output has the same lines
"$VW" simulate "$VW_TMP/small.toml" --coastline "$COAST" -o "$VW_TMP/a.nmea" --truth "$VW_TMP/truth.json" 2> "$VW_TMP/sim.err"
expect_grep "SIMULATED DATA" "$VW_TMP/sim.err"
"$VW" simulate "$VW_TMP/small.toml" --coastline "$COAST" -q -o "$VW_TMP/b.nmea"
cmp "$VW_TMP/a.nmea" "$VW_TMP/b.nmea" || fail "same seed, different output"; ok
"$VW" simulate "$VW_TMP/small.toml" --coastline "$COAST" -q --seed 4 -o "$VW_TMP/c.nmea"
if cmp -s "$VW_TMP/a.nmea" "$VW_TMP/c.nmea"; then fail "another seed gave the same output"; fi; ok
"$VW" simulate "$VW_TMP/small.toml" --coastline "$COAST" -q -o "$VW_TMP/a.nmea.gz"
gzip -dc "$VW_TMP/a.nmea.gz" | cmp - "$VW_TMP/a.nmea" || fail ".gz output differs"; ok
[ "$(wc -l < "$VW_TMP/a.nmea")" -gt 1000 ] || fail "too few lines"; ok
if grep -v '^\\s:SIM-\|^\\g:[0-9-]*,s:SIM-' "$VW_TMP/a.nmea" | grep -q .; then fail "a line without a SIM- station"; fi; ok

# every line decodes
expect_exit 0 "$VW" decode --stats "$VW_TMP/a.nmea" -o /dev/null
expect_grep '"rejected":0' "$VW_TMP/err"

# ingest, then compare the store with the truth
DB="$VW_TMP/sim.vw"
expect_exit 0 "$VW" ingest --no-progress "$DB" "$VW_TMP/a.nmea"
python3 - "$VW_TMP/truth.json" > "$VW_TMP/events.txt" <<'PY'
import json, sys, datetime
t = json.load(open(sys.argv[1]))
assert t["simulated"] is True
iso = lambda s: datetime.datetime.fromtimestamp(s, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
for e in t["events"]:
    # type, MMSI, (start + 1 s), (end - 1 s), end, end + 30 min: ISO times ('track --to' takes a
    # 10-character value for a date, so Unix seconds are avoided there)
    s, x = e["start_unix"], e["end_unix"]
    print(e["type"], e["vessel"]["mmsi"], iso(s + 1), iso(x - 1), iso(x), iso(x + 1800), e["vessel"]["name"])
PY
expect_grep "^ais_off 273990001" "$VW_TMP/events.txt"
expect_grep "^rename 273990001" "$VW_TMP/events.txt"
expect_grep "^port_call 273990001" "$VW_TMP/events.txt"
n_dark=0
while read -r type mmsi start1 end1 end end30 _; do
  [ "$type" = ais_off ] || continue
  n_dark=$((n_dark + 1))
  inside=$("$VW" track "$DB" --mmsi "$mmsi" --from "$start1" --to "$end1" -f csv 2>/dev/null | tail -n +2 | wc -l)
  [ "$inside" -eq 0 ] || fail "$inside positions of $mmsi inside its dark period $start1-$end1"
  ok
  after=$("$VW" track "$DB" --mmsi "$mmsi" --from "$end" --to "$end30" -f csv 2>/dev/null | tail -n +2 | wc -l)
  [ "$after" -gt 10 ] || fail "no positions of $mmsi in the 30 minutes after its dark period ($after)"
  ok
done < "$VW_TMP/events.txt"
[ "$n_dark" -eq 2 ] || fail "expected 2 dark periods, got $n_dark"; ok
"$VW" vessels "$DB" --json > "$VW_TMP/vessels.ndjson" 2>/dev/null
expect_grep "LADY SIM" "$VW_TMP/vessels.ndjson"
expect_grep "9161003" "$VW_TMP/vessels.ndjson"

# every report made from simulated data says so (banner on stderr, count in info --json) ...
for cmd in vessels info; do
  "$VW" "$cmd" "$DB" > /dev/null 2> "$VW_TMP/$cmd.err"
  expect_grep "SIMULATED DATA" "$VW_TMP/$cmd.err"
done
"$VW" track "$DB" --all -f csv > /dev/null 2> "$VW_TMP/track.err"
expect_grep "SIMULATED DATA" "$VW_TMP/track.err"
"$VW" info "$DB" --json 2>/dev/null > "$VW_TMP/info.json"
n_sim=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["simulated_messages"])' "$VW_TMP/info.json")
[ "$n_sim" -gt 0 ] || fail "info --json: simulated_messages is $n_sim"; ok
# ... and a store of real (non-SIM) data does not: re-encode without the SIM stations
"$VW" decode "$VW_TMP/a.nmea" > "$VW_TMP/a.ndjson" 2>/dev/null
head -2000 "$VW_TMP/a.ndjson" > "$VW_TMP/real.ndjson"
"$VW" encode --station RECEIVER-1 --lf "$VW_TMP/real.ndjson" > "$VW_TMP/real.nmea" 2>/dev/null
expect_exit 0 "$VW" ingest --no-progress "$VW_TMP/real.vw" "$VW_TMP/real.nmea"
"$VW" info "$VW_TMP/real.vw" > /dev/null 2> "$VW_TMP/real.err"
if grep -q "SIMULATED DATA" "$VW_TMP/real.err"; then fail "banner on a store without simulated messages"; fi; ok
done_ok
