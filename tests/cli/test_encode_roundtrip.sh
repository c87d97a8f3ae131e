#!/usr/bin/env bash
# decode -> encode -> decode gives the same messages (every gpsd field) for every real capture, so
# the encoder covers every message type and field that occurs in real data.
source "$(dirname "$0")/lib.sh"
need_shared
strip() { sed -E 's/"device":"[^"]*",//; s/,"line":[0-9]+//' "$1"; }
total=0
while IFS= read -r f; do
  name=$(basename "$f")
  "$VW" decode -q "$f" > "$VW_TMP/a.ndjson"
  [ -s "$VW_TMP/a.ndjson" ] || continue
  "$VW" encode -q --lf --tag-time-ms "$VW_TMP/a.ndjson" > "$VW_TMP/b.nmea"
  "$VW" decode -q "$VW_TMP/b.nmea" > "$VW_TMP/c.ndjson"
  if ! cmp -s <(strip "$VW_TMP/a.ndjson") <(strip "$VW_TMP/c.ndjson"); then
    diff <(strip "$VW_TMP/a.ndjson") <(strip "$VW_TMP/c.ndjson") | head -6
    fail "round trip differs for $f"
  fi
  total=$((total + $(wc -l < "$VW_TMP/a.ndjson"))); ok
done < <(find "$VW_SHARED/data/ais" -type f \( -name '*.nmea' -o -name '*.txt' -o -name '*.gz' -o -name '*.ais' -o -name '*.aivdm' -o -name '*.log' -o -name '*.raw' -o -name 'ais_test_messages' \) | sort)
# JSON with spaces after the colons (Python's json.dumps style) keeps its receive time and station
printf '{"class": "AIS", "type": 1, "repeat": 0, "mmsi": 273001111, "scaled": true, "status": 0, "turn": 0, "speed": 11.2, "accuracy": false, "lon": 131.5, "lat": 42.5, "course": 75.0, "heading": 75, "second": 1, "maneuver": 0, "raim": false, "radio": 0, "rxtime": "2024-03-01T00:00:01.000Z", "station": "SIM-test"}\n' > "$VW_TMP/spaced.ndjson"
"$VW" encode -q --lf "$VW_TMP/spaced.ndjson" > "$VW_TMP/spaced.nmea"
grep -q '^\\s:SIM-test,c:1709251201\*' "$VW_TMP/spaced.nmea" || { cat "$VW_TMP/spaced.nmea"; fail "tag block lost with spaced JSON"; }; ok
[ "$total" -gt 40000 ] || fail "only $total messages round-tripped"; ok
echo "round-tripped $total messages"
done_ok
