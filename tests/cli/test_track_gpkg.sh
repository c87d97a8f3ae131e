#!/usr/bin/env bash
# track (issue 3): segment ids in every output format, and --format gpkg validated by a real peer,
# GDAL's ogrinfo (skips only when ogrinfo is not installed: Debian package gdal-bin).
source "$(dirname "$0")/lib.sh"
command -v ogrinfo > /dev/null || { echo "SKIP: ogrinfo (gdal-bin) not installed"; exit 77; }

# One MMSI used by two vessels at once: one in the Sea of Japan, one in the Baltic, a fix a minute for
# 30 minutes each, interleaved; plus a second MMSI with a single vessel.
python3 - "$VW_TMP/in.ndjson" <<'PY'
import datetime, json, sys
out = open(sys.argv[1], "w")
t0 = datetime.datetime(2024, 3, 1, 6, 0, tzinfo=datetime.timezone.utc)
def pos(mmsi, t, lat, lon, radio):
    m = {"class": "AIS", "type": 1, "repeat": 0, "mmsi": mmsi, "scaled": True, "status": 0, "turn": 0,
         "speed": 12.0, "accuracy": False, "lon": round(lon, 5), "lat": round(lat, 5), "course": 90.0, "heading": 90,
         "second": t.second, "maneuver": 0, "raim": False, "radio": radio,
         "rxtime": t.strftime("%Y-%m-%dT%H:%M:%S.000Z"), "station": "S1"}
    out.write(json.dumps(m) + "\n")
for k in range(30):
    t = t0 + datetime.timedelta(minutes=k)
    pos(273444660, t, 43.1, 132.5 + k * 0.0045, k)
    pos(273444660, t + datetime.timedelta(seconds=20), 59.3, 20.1 + k * 0.0065, 1000 + k)
    pos(257123450, t + datetime.timedelta(seconds=40), 60.0, 5.0 + k * 0.0066, 2000 + k)
PY
"$VW" encode --lf -q "$VW_TMP/in.ndjson" > "$VW_TMP/in.nmea"
db="$VW_TMP/t.vw"
expect_exit 0 "$VW" ingest -q "$db" "$VW_TMP/in.nmea"

# Segment column / property in the text formats: two segments for the shared MMSI.
expect_exit 0 "$VW" track "$db" --mmsi 273444660 -f csv
expect_grep "^mmsi,time,lat,lon,sog,cog,heading,status,type,receivers,segment$" "$VW_TMP/out"
expect_grep "^273444660,2024-03-01T06:00:00Z,43.100000,132.500000,.*,273444660-2024-03-01T06:00:00Z$" "$VW_TMP/out"
expect_grep "^273444660,2024-03-01T06:00:20Z,59.300000,20.100000,.*,273444660-2024-03-01T06:00:20Z$" "$VW_TMP/out"
n=$(tail -n +2 "$VW_TMP/out" | awk -F, '{print $NF}' | sort -u | wc -l)
[ "$n" -eq 2 ] || fail "expected 2 segments for the shared MMSI, got $n"; ok
# Every Baltic fix is in the Baltic segment (no cross-over).
bad=$(awk -F, 'NR > 1 && ($3 > 50) != ($NF ~ /06:00:20Z$/)' "$VW_TMP/out" | wc -l)
[ "$bad" -eq 0 ] || fail "$bad positions in the other vessel's segment"; ok
expect_exit 0 "$VW" track "$db" --mmsi 273444660 -f ndjson --with-source
expect_grep '"segment":"273444660-2024-03-01T06:00:00Z"' "$VW_TMP/out"
expect_exit 0 "$VW" track "$db" --mmsi 257123450
expect_grep '"segment":"257123450-2024-03-01T06:00:40Z"' "$VW_TMP/out"
expect_exit 0 "$VW" vessels "$db" --json
expect_grep '"segments":\[{"id":"273444660-2024-03-01T06:00:00Z","from":"2024-03-01T06:00:00Z","to":"2024-03-01T06:29:00Z","positions":30},{"id":"273444660-2024-03-01T06:00:20Z"' "$VW_TMP/out"

# GeoPackage of one vessel: ogrinfo reads both layers with the right counts, types and fields.
expect_exit 2 "$VW" track "$db" --mmsi 273444660 -f gpkg   # needs -o
gp="$VW_TMP/one.gpkg"
expect_exit 0 "$VW" track "$db" --mmsi 273444660 -f gpkg -o "$gp"
expect_grep "60 positions, 2 segment lines" "$VW_TMP/err"
ogrinfo -ro -so "$gp" positions > "$VW_TMP/info" 2>&1 || { cat "$VW_TMP/info"; fail "ogrinfo cannot read positions"; }
expect_grep "^Geometry: Point" "$VW_TMP/info"
expect_grep "^Feature Count: 60" "$VW_TMP/info"
expect_grep "GEOGCRS\[\"WGS 84\"" "$VW_TMP/info"
expect_grep "^segment: String" "$VW_TMP/info"
expect_grep "^time: DateTime" "$VW_TMP/info"
expect_grep "^sog: Real" "$VW_TMP/info"
expect_grep "^source: String" "$VW_TMP/info"
expect_grep "^Extent: (20.100000, 43.100000) - (132.630500, 59.300000)" "$VW_TMP/info"
ogrinfo -ro -so "$gp" segments > "$VW_TMP/info" 2>&1 || fail "ogrinfo cannot read segments"
expect_grep "^Geometry: Line String" "$VW_TMP/info"
expect_grep "^Feature Count: 2" "$VW_TMP/info"
# Attribute values and geometries as GDAL decodes our binary: the first fix, the Baltic line's end.
ogrinfo -ro "$gp" -sql "SELECT * FROM positions WHERE fid = 1" > "$VW_TMP/info" 2>&1
expect_grep "time (DateTime) = 2024/03/01 06:00:00" "$VW_TMP/info"
! grep -q "^Warning" "$VW_TMP/info" || fail "GDAL warns: $(grep ^Warning "$VW_TMP/info")"; ok
expect_grep "segment (String) = 273444660-2024-03-01T06:00:00Z" "$VW_TMP/info"
expect_grep "sog (Real) = 12" "$VW_TMP/info"
expect_grep "source (String) = 1:1" "$VW_TMP/info"
expect_grep "POINT (132.5 43.1)" "$VW_TMP/info"
ogrinfo -ro "$gp" segments -where "segment LIKE '%06:00:20Z'" > "$VW_TMP/info" 2>&1
expect_grep "Feature Count: 1" "$VW_TMP/info"
expect_grep "positions (Integer[0-9]*) = 30" "$VW_TMP/info"
expect_grep "first_time (DateTime) = 2024/03/01 06:00:20" "$VW_TMP/info"
expect_grep "LINESTRING (20.1 59.3,20.1065 59.3,.*,20.2885 59.3)" "$VW_TMP/info"
# No warning or error from GDAL on reading every feature of every layer.
ogrinfo -ro -al "$gp" > "$VW_TMP/all" 2> "$VW_TMP/warn" || fail "ogrinfo -al failed"
[ ! -s "$VW_TMP/warn" ] || { cat "$VW_TMP/warn"; fail "GDAL printed warnings"; }; ok
expect_grep "^Layer name: vessels" "$VW_TMP/all"

# The whole store: every vessel, time-filtered; the file is replaced, not appended to.
expect_exit 0 "$VW" track "$db" --all --from 2024-03-01T06:10:00Z -f gpkg -o "$gp"
ogrinfo -ro -so "$gp" positions > "$VW_TMP/info" 2>&1
expect_grep "^Feature Count: 60" "$VW_TMP/info"   # 3 vessels x 20 minutes
ogrinfo -ro -so "$gp" segments > "$VW_TMP/info" 2>&1
expect_grep "^Feature Count: 3" "$VW_TMP/info"
ogrinfo -ro "$gp" -sql "SELECT count(*) AS n FROM vessels" > "$VW_TMP/info" 2>&1
expect_grep "n (Integer[0-9]*) = 2" "$VW_TMP/info"
expect_exit 2 "$VW" track "$db" --all --mmsi 1 -f csv
expect_exit 3 "$VW" track "$db" --all -f gpkg -o /nonexistent-dir/x.gpkg
done_ok
