#!/usr/bin/env bash
# Decoded-dump inputs of ingest (issue 3) and their provenance (issue 6): MarineCadastre, DMA and
# --columns CSV, GFW newline JSON, detected from content; quoting, CRLF, BOM, empty and "not available"
# fields, bad rows counted by kind with file:line, --strict; compressed CSV; every stored position
# leads back (track --with-source -> raw) to its very row; standard input; the same positions from a
# second file (another receiver's dump) are not stored twice.
source "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || { echo "SKIP: python3 needed"; exit 77; }

# ---- MarineCadastre: BOM, CRLF, a quoted name with a comma, a quoted field spanning two lines,
# n/a values (91/181, 102.3, 360, 511), an empty-field identity row, one bad row of each kind.
mc=$VW_TMP/AIS_2023_01_01.csv
{
  printf '\xef\xbb\xbfMMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO,CallSign,VesselType,Status,Length,Width,Draft,Cargo,TransceiverClass\r\n'
  printf '367596940,2023-01-01T00:00:06,29.74539,-95.08981,0.1,201.5,511,PAULA ANN,IMO9074729,WDH6498,31,0,21,9,3.2,,A\r\n'
  printf '367596940,2023-01-01T00:01:06,29.74540,-95.08980,0.2,200.0,200,PAULA ANN,IMO9074729,WDH6498,31,0,21,9,3.2,,A\r\n'
  printf '538007000,2023-01-01T00:00:10,27.5,-90.25,12.3,360,511,"STAR, OF ""THE"" SEA",IMO9301314,V7MK5,80,0,250,44,12.1,80,A\r\n'
  printf '538007000,2023-01-01T00:02:10,27.51,-90.24,102.3,90,90,"TWO\r\nLINES",IMO9301314,V7MK5,80,0,250,44,12.1,80,A\r\n'
  printf '538007000,2023-01-01T00:03:10,91,181,,,,,,,,,,,,,B\r\n'
  printf 'notanmmsi,2023-01-01T00:03:10,27.5,-90.25,,,,,,,,,,,,,\r\n'
  printf '538007000,yesterday,27.5,-90.25,,,,,,,,,,,,,\r\n'
  printf '538007000,2023-01-01T00:04:10,27.5x,-90.25,,,,,,,,,,,,,\r\n'
  printf '538007000,2023-01-01T00:05:10\r\n'
} > "$mc"
db=$VW_TMP/mc.vw
expect_exit 0 "$VW" ingest --stats --no-screen "$db" "$mc"
expect_grep '"format":"marinecadastre"' "$VW_TMP/out"
# where the file's time went (docs/cli/ingest.md): every phase named, and the segment pass timed
expect_grep '"timing":{"digest_s":[0-9.]*,"open_s":[0-9.]*,"read_s":[0-9.]*,"flush_s":[0-9.]*,"commit_s":[0-9.]*,"reader_cpu_s":[0-9.]*,"storer_cpu_s":[0-9.]*,"reader_wait_s":[0-9.]*,"storer_wait_s":[0-9.]*}' "$VW_TMP/out"
expect_grep '"segments":[0-9]*,"seconds":[0-9.]*}' "$VW_TMP/out"
expect_grep '"bad_rows":{"field_count":1,"bad_mmsi":1,"bad_time":1,"bad_number":1}' "$VW_TMP/out"
expect_grep "AIS_2023_01_01.csv:8: bad_mmsi" "$VW_TMP/err"
expect_grep "AIS_2023_01_01.csv:11: field_count" "$VW_TMP/err"
expect_grep '"position_unavailable":1' "$VW_TMP/out"
expect_grep '"speed_unavailable":1' "$VW_TMP/out"
expect_exit 0 "$VW" track "$db" --mmsi 538007000 -f csv --with-source
# (COG 360 and heading 511 are "not available"; track prints status for AIS types 1-3 only)
expect_grep '^538007000,2023-01-01T00:00:10Z,27.500000,-90.250000,12.3,,,,0,1,.*,1:4$' "$VW_TMP/out"
expect_grep '^538007000,2023-01-01T00:02:10Z,27.510000,-90.240000,,90.0,90,,0,1,.*,1:5+6$' "$VW_TMP/out"
# every stored position -> raw -> the row it came from (same MMSI and time)
for m in 367596940 538007000; do
  "$VW" track "$db" --mmsi $m -f csv --with-source | tail -n +2 > "$VW_TMP/t.csv"
  while IFS=, read -r mmsi time rest; do
    ref=${rest##*,}
    expect_exit 0 "$VW" raw "$db" "$ref"
    want_time=${time%Z}
    head -1 "$VW_TMP/out" | grep -q "^$mmsi,$want_time," || fail "raw $ref does not print the row of $mmsi $time: $(cat "$VW_TMP/out")"; ok
  done < "$VW_TMP/t.csv"
done
# the two-line record is printed whole
expect_exit 0 "$VW" raw "$db" 1:5+6
[ "$(wc -l < "$VW_TMP/out")" -eq 2 ] || fail "raw 1:5+6 should print both lines of the record"; ok
# identities with their rows
expect_exit 0 "$VW" vessels "$db" --json
expect_grep '"name":"STAR, OF \\"THE\\" SEA"' "$VW_TMP/out"
expect_grep '"name":"PAULA ANN"' "$VW_TMP/out"
expect_grep '"imo":9074729' "$VW_TMP/out"
# same bytes again: nothing added
expect_exit 0 "$VW" ingest --no-screen "$db" "$mc"
expect_grep "1 already held" "$VW_TMP/err"

# ---- compressed CSV and --strict
gzip -c "$mc" > "$VW_TMP/mc.csv.gz"
expect_exit 1 "$VW" ingest --strict --no-screen "$VW_TMP/strict.vw" "$VW_TMP/mc.csv.gz"
expect_grep "mc.csv.gz:8" "$VW_TMP/err"
expect_grep "bad_mmsi" "$VW_TMP/err"
expect_exit 0 "$VW" info --json "$VW_TMP/strict.vw"
expect_grep '"positions":0' "$VW_TMP/out"
head -4 "$mc" | gzip -c > "$VW_TMP/small.csv.gz"
expect_exit 0 "$VW" ingest --strict --stats --no-screen "$VW_TMP/strict.vw" "$VW_TMP/small.csv.gz"
expect_grep '"positions":3' "$VW_TMP/out"

# ---- DMA
dma=$VW_TMP/aisdk-2024-03-01.csv
{
  echo '# Timestamp,Type of mobile,MMSI,Latitude,Longitude,Navigational status,ROT,SOG,COG,Heading,IMO,Callsign,Name,Ship type,Cargo type,Width,Length,Type of position fixing device,Draught,Destination,ETA,Data source type,A,B,C,D'
  echo '01/03/2024 00:00:00,Class A,219000606,55.606000,12.615000,Under way using engine,0.0,9.5,188.4,190,Unknown,OXTG2,NORDIC TANKER,Tanker,,12,80,GPS,5.6,AARHUS,02/03/2024 06:00:00,AIS,60,20,6,6'
  echo '01/03/2024 00:00:10,Class A,219000606,55.605600,12.614900,Under way using engine,0.0,9.6,188.0,190,Unknown,OXTG2,NORDIC TANKER,Tanker,,12,80,GPS,5.6,AARHUS,02/03/2024 06:00:00,AIS,60,20,6,6'
  echo '01/03/2024 00:00:12,Base Station,2190068,55.7,12.6,Unknown value,,,,,Unknown,Unknown,,Undefined,,,,GPS,,Unknown,,AIS,,,,'
  echo '01/03/2024 00:00:20,Class B,211111111,91.000000,0.000000,Unknown value,,0.0,,,Unknown,Unknown,SAILOR,Sailing,,3,12,GPS,,Unknown,,AIS,6,6,2,1'
} > "$dma"
expect_exit 0 "$VW" ingest --stats --no-screen "$db" "$dma"
expect_grep '"format":"dma"' "$VW_TMP/out"
expect_grep '"positions":3' "$VW_TMP/out"
expect_exit 0 "$VW" track "$db" --mmsi 219000606 -f csv --with-source
ref=$(sed -n 3p "$VW_TMP/out" | awk -F, '{print $NF}')
expect_exit 0 "$VW" raw "$db" "$ref"
cmp -s "$VW_TMP/out" <(sed -n 3p "$dma") || fail "raw $ref is not line 3 of the DMA file"; ok
expect_exit 0 "$VW" vessels "$db" --json --search 219000606
expect_grep '"name":"NORDIC TANKER"' "$VW_TMP/out"
expect_grep '"ship_type":80' "$VW_TMP/out"

# ---- --columns CSV (a header of no known dialect needs it)
gen=$VW_TMP/positions.csv
printf 'ID,ts,y,x,speed\n244660000,14/02/2024 10:00,52.1,4.2,7.5\n244660000,14/02/2024 10:05,52.11,4.21,7.4\n' > "$gen"
expect_exit 1 "$VW" ingest --no-screen "$db" "$gen"
expect_grep "no known dialect" "$VW_TMP/err"
expect_grep "columns" "$VW_TMP/err"
expect_exit 0 "$VW" ingest --stats --no-screen --columns mmsi=ID,time=ts,lat=y,lon=x,sog=speed \
  --time-format '%d/%m/%Y %H:%M' "$db" "$gen"
expect_grep '"format":"csv"' "$VW_TMP/out"
expect_grep '"positions":2' "$VW_TMP/out"
expect_exit 2 "$VW" ingest --columns mmsi=ID,bogus=x "$db" "$gen"
expect_exit 2 "$VW" ingest --format xml "$db" "$gen"

# ---- GFW newline JSON (real file when ../shared is here, else a made-up one)
gfw=${VW_SHARED:-/nonexistent}/data/tracks/gfw_segmenter/regr_338142021.json
if [ ! -f "$gfw" ]; then
  gfw=$VW_TMP/gfw.json
  printf '%s\n' '{"ssvid": "338142021", "type": "AIS.18", "timestamp": "2021-01-07T16:27:03+00:00", "lon": -80.0479716667, "lat": 26.8064666667, "speed": 20.3, "course": 347.4, "heading": 511.0, "shipname": null}' \
    '{"ssvid": "338142021", "type": "AIS.24", "timestamp": "2021-01-07T16:13:54+00:00", "lon": NaN, "lat": NaN, "shipname": "LADY S"}' > "$gfw"
fi
expect_exit 0 "$VW" ingest --stats --no-screen "$VW_TMP/gfw.vw" "$gfw"
expect_grep '"format":"gfw-json"' "$VW_TMP/out"
expect_exit 0 "$VW" track "$VW_TMP/gfw.vw" --mmsi 338142021 -f csv --with-source
ref=$(sed -n 2p "$VW_TMP/out" | awk -F, '{print $NF}')
t=$(sed -n 2p "$VW_TMP/out" | awk -F, '{print $2}')
expect_exit 0 "$VW" raw "$VW_TMP/gfw.vw" "$ref"
expect_grep "\"timestamp\": \"${t%Z}+00:00\"" "$VW_TMP/out"
expect_exit 0 "$VW" vessels "$VW_TMP/gfw.vw" --json
expect_grep '"name":"LADY S"' "$VW_TMP/out"

# ---- standard input: recorded as "-", hashed while read; raw says it cannot re-read it
expect_exit 0 sh -c "cat '$dma' | '$VW' ingest --stats --no-screen '$VW_TMP/stdin.vw' -"
expect_grep '"path":"-"' "$VW_TMP/out"
sha=$(sha256sum "$dma" | cut -d' ' -f1)
expect_grep "\"sha256\":\"$sha\"" "$VW_TMP/out"
expect_exit 0 sh -c "cat '$dma' | '$VW' ingest --no-screen '$VW_TMP/stdin.vw' -"
expect_grep "1 already held" "$VW_TMP/err"
expect_exit 1 "$VW" raw "$VW_TMP/stdin.vw" 1:2
expect_grep "standard input" "$VW_TMP/err"
ls -a "$VW_TMP" | grep -q vesselwatch-stdin && fail "the spooled copy of stdin was left behind"; ok

# ---- the same positions in a second file (another receiver's dump, other row order and times
# within a second): not stored again, counted as stored_duplicates
{
  head -1 "$dma"
  sed -n 3p "$dma" | sed 's/00:00:10/00:00:11/'
  sed -n 2p "$dma"
} > "$VW_TMP/aisdk-receiver2.csv"
expect_exit 0 "$VW" ingest --stats --no-screen "$db" "$VW_TMP/aisdk-receiver2.csv"
expect_grep '"positions":0' "$VW_TMP/out"
expect_grep '"stored_duplicates":2' "$VW_TMP/out"
done_ok
