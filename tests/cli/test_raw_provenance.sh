#!/usr/bin/env bash
# Provenance (issue 6): track --with-source -> raw prints the original lines, verified by sha256; a
# changed or missing source file is reported (exit 1), never silently accepted. Also the ingest basics:
# time rule, idempotence, gzip input, --json-progress, info.
source "$(dirname "$0")/lib.sh"

j1='{"class":"AIS","type":1,"repeat":0,"mmsi":273444660,"scaled":true,"status":0,"turn":0,"speed":10.5,"accuracy":false,"lon":132.5,"lat":43.1,"course":90.0,"heading":91,"second":14,"maneuver":0,"raim":false,"radio":1'
j5='{"class":"AIS","type":5,"repeat":0,"mmsi":273444660,"scaled":true,"imo":9243435,"ais_version":2,"callsign":"UBCD","shipname":"SKY LINE","shiptype":80,"to_bow":100,"to_stern":20,"to_port":10,"to_starboard":10,"epfd":1,"eta":"01-01T00:00Z","draught":7.5,"destination":"NAKHODKA","dte":0'
{
  echo "$j1,\"rxtime\":\"2024-03-01T00:00:00.000Z\",\"station\":\"S1\"}"
  echo "$j1,\"rxtime\":\"2024-03-01T00:00:01.000Z\",\"station\":\"S2\"}"
  echo "$j5,\"rxtime\":\"2024-03-01T00:00:05.000Z\",\"station\":\"S1\"}"
  echo "${j1/radio\":1/radio\":2},\"rxtime\":\"2024-03-01T00:00:10.000Z\",\"station\":\"S1\"}"
} > "$VW_TMP/in.ndjson"
"$VW" encode --lf -q "$VW_TMP/in.ndjson" > "$VW_TMP/in.nmea"
[ "$(wc -l < "$VW_TMP/in.nmea")" -eq 5 ] || fail "expected 5 NMEA lines (type 5 is two sentences)"; ok

db="$VW_TMP/p.vw"
expect_exit 0 "$VW" ingest "$db" "$VW_TMP/in.nmea"
expect_grep "4 messages -> 2 positions, 1 identity" "$VW_TMP/err"
expect_grep "receiver_duplicates=1" "$VW_TMP/err"
# Idempotent: same bytes again (even under another name) add nothing.
cp "$VW_TMP/in.nmea" "$VW_TMP/same.nmea"
expect_exit 0 "$VW" ingest "$db" "$VW_TMP/same.nmea"
expect_grep "1 already held" "$VW_TMP/err"

# track --with-source -> raw -> the very line.
expect_exit 0 "$VW" track "$db" --mmsi 273444660 -f csv --with-source
expect_grep "^273444660,2024-03-01T00:00:00Z,43.100000,132.500000,10.5,90.0,91,0,1,2,.*,1:1$" "$VW_TMP/out"
ref=$(sed -n 3p "$VW_TMP/out" | awk -F, '{print $NF}')
[ "$ref" = "1:5" ] || fail "second position should come from 1:5, got $ref"; ok
expect_exit 0 "$VW" raw "$db" "$ref"
cmp -s "$VW_TMP/out" <(sed -n 5p "$VW_TMP/in.nmea") || fail "raw 1:5 is not line 5"; ok
# The identity's reference covers both fragments of the type 5.
expect_exit 0 "$VW" vessels "$db" --json
expect_grep '"name":"SKY LINE"' "$VW_TMP/out"
expect_grep '"imo_valid":true' "$VW_TMP/out"
expect_grep '"flag":"RU"' "$VW_TMP/out"
expect_grep '"source":"1:3"' "$VW_TMP/out"
expect_exit 0 "$VW" raw -n "$db" 1:3-4
[ "$(wc -l < "$VW_TMP/out")" -eq 2 ] || fail "raw 1:3-4 should print two lines"; ok
expect_grep $'^1:4\t' "$VW_TMP/out"

# A changed source file is detected.
cp "$VW_TMP/in.nmea" "$VW_TMP/in.saved"
echo '!AIVDM,1,1,,A,13u?etPv2;0n:dDPwUM1U1Cb069D,0*24' >> "$VW_TMP/in.nmea"
expect_exit 1 "$VW" raw "$db" 1:5
expect_grep "CHANGED since ingest" "$VW_TMP/err"
[ ! -s "$VW_TMP/out" ] || fail "raw printed lines of a changed file"; ok
expect_exit 1 "$VW" raw --unverified "$db" 1:5
[ -s "$VW_TMP/out" ] || fail "--unverified should print"; ok
# A missing one too.
rm "$VW_TMP/in.nmea"
expect_exit 1 "$VW" raw "$db" 1:5
expect_grep "not at hand" "$VW_TMP/err"
mv "$VW_TMP/in.saved" "$VW_TMP/in.nmea"
expect_exit 0 "$VW" raw "$db" 1:5
expect_exit 2 "$VW" raw "$db" 99:1
expect_exit 2 "$VW" raw "$db" nonsense

# Compressed input: the reference counts lines of the decompressed text.
gzip -c "$VW_TMP/in.nmea" > "$VW_TMP/gz.nmea.gz"
printf '%s\n' "$(sed 's/43.1/44.1/' "$VW_TMP/in.ndjson")" | "$VW" encode --lf -q - | gzip -c > "$VW_TMP/other.nmea.gz"
expect_exit 0 "$VW" ingest --json-progress --progress "$db" "$VW_TMP/other.nmea.gz"
expect_grep '"progress"' "$VW_TMP/err"
expect_exit 0 "$VW" track "$db" --mmsi 273444660 -f ndjson --with-source --from 2024-03-01T00:00:00Z --to 2024-03-01T00:00:00Z
[ "$(wc -l < "$VW_TMP/out")" -eq 2 ] || fail "two files -> two positions at 00:00:00"; ok
expect_exit 0 "$VW" raw "$db" 2:1
expect_grep 'c:1709251200' "$VW_TMP/out"

# Time rule: NMEA without receive times stops with an error that says what to do.
echo '!AIVDM,1,1,,A,13u?etPv2;0n:dDPwUM1U1Cb069D,0*24' > "$VW_TMP/untimed.nmea"
expect_exit 1 "$VW" ingest "$db" "$VW_TMP/untimed.nmea"
expect_grep "untimed.nmea:1: message without a receive time" "$VW_TMP/err"
expect_grep "missing-time skip" "$VW_TMP/err"
expect_exit 0 "$VW" ingest --assume-time 2024-03-02 "$db" "$VW_TMP/untimed.nmea"
expect_exit 0 "$VW" info "$db"
expect_grep "positions  5 in" "$VW_TMP/out"
expect_grep "clean.receiver_duplicates" "$VW_TMP/out"
done_ok
