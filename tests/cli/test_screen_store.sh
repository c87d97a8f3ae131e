#!/usr/bin/env bash
# Issue 5: every vessel identity of the track store (current and past names, IMO, MMSI, call sign) is
# screened after ingest and after a list import; matches are stored with their explanation and the
# list's provenance, idempotently, and shown by `vessels`. Both orders (ingest then import, import then
# ingest) give the same matches; --no-screen skips screening. Real list: ../shared OFAC SDN 2024-05-03.
source "$(dirname "$0")/lib.sh"
need_shared
sdn="$VW_SHARED/data/sanctions/ofac/sdn_2024-05-03.csv"
[ -f "$sdn" ] || { echo "SKIP: $sdn not present"; exit 77; }
sdn_sha=$(sha256sum "$sdn" | cut -d' ' -f1)

# Simulated traffic: LADY R (designated, IMO 9161003), a vessel that broadcast MAIA-1 (designated) and
# was later renamed without IMO, and an innocent vessel. MMSIs and times are invented.
t5='"class":"AIS","type":5,"repeat":0,"scaled":true,"ais_version":2,"shiptype":70,"to_bow":90,"to_stern":20,"to_port":8,"to_starboard":8,"epfd":1,"eta":"03-02T12:00Z","draught":6.5,"destination":"VOSTOCHNY","dte":0'
t1='"class":"AIS","type":1,"repeat":0,"scaled":true,"status":0,"turn":0,"speed":11.2,"accuracy":false,"course":75.0,"heading":75,"second":0,"maneuver":0,"raim":false,"radio":0'
{
  echo "{$t5,\"mmsi\":273001234,\"imo\":9161003,\"callsign\":\"UBRH9\",\"shipname\":\"LADY R\",\"rxtime\":\"2024-03-01T00:00:00.000Z\"}"
  echo "{$t1,\"mmsi\":273001234,\"lon\":131.0,\"lat\":42.1,\"rxtime\":\"2024-03-01T00:01:00.000Z\"}"
  echo "{$t5,\"mmsi\":273005678,\"imo\":0,\"callsign\":\"\",\"shipname\":\"MAIA-1\",\"rxtime\":\"2024-03-01T00:02:00.000Z\"}"
  echo "{$t5,\"mmsi\":273005678,\"imo\":0,\"callsign\":\"\",\"shipname\":\"BLUE HORIZON\",\"rxtime\":\"2024-03-02T00:02:00.000Z\"}"
  echo "{$t5,\"mmsi\":257123450,\"imo\":9074729,\"callsign\":\"LAXY3\",\"shipname\":\"NORDIC STAR\",\"rxtime\":\"2024-03-01T00:03:00.000Z\"}"
  echo "{$t1,\"mmsi\":257123450,\"lon\":5.3,\"lat\":60.4,\"rxtime\":\"2024-03-01T00:04:00.000Z\"}"
} > "$VW_TMP/in.ndjson"
"$VW" encode --lf -q --station SIM-test "$VW_TMP/in.ndjson" > "$VW_TMP/in.nmea"
grep -q 's:SIM-test' "$VW_TMP/in.nmea" || fail "encode did not tag the station"; ok

# vessels --json of DB, one line per vessel, without the screening time (differs between runs)
vessels_json() { "$VW" vessels "$1" --json 2>/dev/null | sed -E 's/"screened_at":"[^"]*"//g'; }
line_of() { grep "\"mmsi\":$2," <(vessels_json "$1") || true; }
count_matches() { vessels_json "$1" | grep -o '"matched_name"' | wc -l; }

check_matches() {  # DB
  local lady maia nordic
  lady=$(line_of "$1" 273001234); maia=$(line_of "$1" 273005678); nordic=$(line_of "$1" 257123450)
  [ -n "$lady" ] && [ -n "$maia" ] && [ -n "$nordic" ] || fail "vessels --json lacks a vessel"; ok
  # LADY R: matched by IMO, with the explanation and the list's provenance
  grep -q '"sanctions":\[{"score":1\.0000,"queried_name":"LADY R","matched_name":"LADY R"' <<< "$lady" ||
    fail "LADY R not matched: $lady"; ok
  grep -q '"explanation":"[^"]*imo +1\.00 (9161003' <<< "$lady" || fail "LADY R explanation lacks the IMO: $lady"; ok
  grep -q '"entity":{"id":"37095","caption":"LADY R","schema":"Vessel","programs":"RUSSIA-EO14024"}' <<< "$lady" ||
    fail "LADY R entity: $lady"; ok
  grep -q "\"list\":{\"id\":[0-9]*,\"source\":\"ofac-sdn\",\"format\":\"ofac-csv\",\"published\":\"2024-05-03\",\"sha256\":\"$sdn_sha\"" <<< "$lady" ||
    fail "LADY R list provenance: $lady"; ok
  # the renamed vessel: matched through its past name MAIA-1 (no IMO broadcast)
  grep -q '"queried_name":"MAIA-1","matched_name":"MAIA-1"' <<< "$maia" || fail "past name MAIA-1 not matched: $maia"; ok
  # the innocent vessel: no match
  grep -q '"sanctions":\[\]' <<< "$nordic" || fail "NORDIC STAR matched: $nordic"; ok
}

# 1. ingest first (no list yet: nothing screened), then import (every vessel screened)
a="$VW_TMP/a.vw"
expect_exit 0 "$VW" ingest "$a" "$VW_TMP/in.nmea"
expect_grep "no sanctions list" "$VW_TMP/err"
expect_exit 0 "$VW" lists import "$a" "$sdn"
expect_grep "screened 3 vessels of the track store" "$VW_TMP/err"
expect_grep "2 matched" "$VW_TMP/err"
check_matches "$a"
n_a=$(count_matches "$a")
# text output: the SANCTIONS column and the match lines
expect_exit 0 "$VW" vessels "$a"
expect_grep "^MMSI .* SANCTIONS IDENTITY" "$VW_TMP/out"
expect_grep "^273001234 .* MATCH 1 .*\"LADY R\"" "$VW_TMP/out"
expect_grep "^257123450 .* -  *\"NORDIC STAR\"" "$VW_TMP/out"
expect_grep "SANCTIONS: 1.00 LADY R \[ofac-sdn 37095, RUSSIA-EO14024\] list 1 published 2024-05-03" "$VW_TMP/out"
expect_exit 0 "$VW" vessels "$a" --sanctioned
[ "$(grep -c '^[0-9]' "$VW_TMP/out")" -eq 2 ] || fail "--sanctioned should show 2 vessels"; ok

# re-runs add nothing: the same import again, the same file ingested again, another file with the same vessels
expect_exit 0 "$VW" lists import "$a" "$sdn"
expect_grep "already imported" "$VW_TMP/err"
[ "$(count_matches "$a")" -eq "$n_a" ] || fail "re-import duplicated matches"; ok
expect_exit 0 "$VW" ingest "$a" "$VW_TMP/in.nmea"
expect_grep "screened 0 vessels" "$VW_TMP/err"
"$VW" encode --lf -q --station SIM-test2 "$VW_TMP/in.ndjson" > "$VW_TMP/in2.nmea"  # same vessels, other bytes
expect_exit 0 "$VW" ingest "$a" "$VW_TMP/in2.nmea"
expect_grep "screened 3 vessels against 1 sanctions lists" "$VW_TMP/err"
[ "$(count_matches "$a")" -eq "$n_a" ] || fail "re-ingest duplicated matches"; ok
# the sqlite3 shell comes from scripts/install-deps.sh
[ "$(sqlite3 "$a" 'SELECT count(*) FROM screen_match')" -eq "$n_a" ] || fail "screen_match rows != $n_a"; ok

# 2. the other order: import first, then ingest (the new vessels screened) -> the same matches
b="$VW_TMP/b.vw"
expect_exit 0 "$VW" lists import "$b" "$sdn"
expect_exit 0 "$VW" ingest "$b" "$VW_TMP/in.nmea"
expect_grep "screened 3 vessels against 1 sanctions lists" "$VW_TMP/err"
check_matches "$b"
diff <(vessels_json "$b" | grep -o '"sanctions":.*') <(vessels_json "$a" | grep -o '"sanctions":.*') > /dev/null ||
  fail "ingest-then-import and import-then-ingest differ"; ok

# 3. --no-screen on ingest and on import; a later import screens what was skipped
c="$VW_TMP/c.vw"
expect_exit 0 "$VW" lists import "$c" "$sdn" --no-screen
expect_exit 0 "$VW" ingest --no-screen "$c" "$VW_TMP/in.nmea"
[ "$(count_matches "$c")" -eq 0 ] || fail "--no-screen ingest screened"; ok
expect_exit 0 "$VW" lists import --no-screen "$c" "$sdn"
[ "$(count_matches "$c")" -eq 0 ] || fail "--no-screen import screened"; ok
expect_exit 0 "$VW" lists import "$c" "$sdn"
check_matches "$c"

done_ok
