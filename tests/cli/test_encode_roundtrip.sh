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
[ "$total" -gt 40000 ] || fail "only $total messages round-tripped"; ok
echo "round-tripped $total messages"
done_ok
