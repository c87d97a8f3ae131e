#!/usr/bin/env bash
# Issue 7: inputs may hold any bytes, the CLI's output is always valid UTF-8 (and valid JSON).
# Names, call signs and destinations from a GFW JSON dump with ill-formed UTF-8 (Latin-1 bytes, an
# encoded surrogate, a cut sequence, random bytes), a file name that is neither UTF-8 nor free of
# quotes are ingested; the store keeps them as given. Then `vessels` (JSON and text), `info` (JSON and
# text) and the GeoPackage export are read back by Python with strict UTF-8 decoding, and every string
# is compared with Python's own replacement (`bytes.decode("utf-8", "replace")`, the Unicode Standard's
# practice). `decode` (NDJSON and CSV) does the same with a tag block's station and the device path.
source "$(dirname "$0")/lib.sh"
command -v python3 > /dev/null || { echo "SKIP: python3 needed"; exit 77; }

dir=$VW_TMP/in
mkdir -p "$dir"
gfw="$dir/$(printf 'dump "\xe9t\xe9" \\ 2024.json')"
python3 - "$gfw" "$dir/expected.json" <<'PY'
import json, random, sys
rng = random.Random(20261130)
fixed = [b"\xc5LESUND", "\u00c5LESUND \u20ac".encode(), b"SKY \xed\xa0\x80 ONE", b"CUT \xe2\x82", b"\xf0\x9f\x98A",
         b"\xc0\x80\xf5\xff", b"A\xf4\x90\x80\x80B"]
# random names: any byte but the JSON string's own specials, the AIS padding '@' and DEL (the line
# layer counts a line holding a control byte, DEL included, as binary_garbage)
alphabet = [b for b in range(0x21, 0x100) if b not in (0x22, 0x40, 0x5c, 0x7f)]
names = fixed + [bytes(rng.choice(alphabet) for _ in range(rng.randint(1, 20))) for _ in range(40)]
rows, expected = [], {}
for k, name in enumerate(names):
    mmsi = 273000001 + k
    cs = bytes(rng.choice(alphabet) for _ in range(6))
    dest = b"VOSTOCHNY \xe9" if k % 2 else "VLADIVOSTOK".encode()
    row = (b'{"ssvid": "%d", "timestamp": "2024-03-01T06:%02d:00+00:00", "lon": 132.%d, "lat": 43.%d, '
           b'"speed": 10.5, "course": 90.0, "heading": 91.0, "shipname": "%s", "callsign": "%s", '
           b'"destination": "%s"}') % (mmsi, k % 60, k, k, name, cs, dest)
    rows.append(row)
    expected[str(mmsi)] = {"name": name.decode("utf-8", "replace"), "callsign": cs.decode("utf-8", "replace"),
                           "destination": dest.decode("utf-8", "replace")}
open(sys.argv[1], "wb").write(b"\n".join(rows) + b"\n")
json.dump(expected, open(sys.argv[2], "w"))
PY

# an NMEA file whose tag block names its source with a quote and a Latin-1 byte
python3 - "$dir/tagged.nmea" <<'PY'
import functools, sys
def ck(b):
    return b"%02X" % functools.reduce(lambda a, c: a ^ c, b, 0)
s = b'!AIVDM,1,1,,A,13u?etPv2;0n:dDPwUM1U1Cb069D,0'
tag = b's:RX "\xe9st",c:1709272800'
open(sys.argv[1], "wb").write(b"\\" + tag + b"*" + ck(tag) + b"\\" + s + b"*" + ck(s[1:]) + b"\n")
PY

db=$VW_TMP/u.vw
expect_exit 0 "$VW" ingest -q --no-screen "$db" "$gfw" "$dir/tagged.nmea"

expect_exit 0 "$VW" vessels "$db" --json
cp "$VW_TMP/out" "$VW_TMP/vessels.ndjson"
expect_exit 0 "$VW" vessels "$db"
cp "$VW_TMP/out" "$VW_TMP/vessels.txt"
expect_exit 0 "$VW" info "$db" --json
cp "$VW_TMP/out" "$VW_TMP/info.json"
cp "$dir/tagged.nmea" "$dir/$(printf 'r\xc3\xa5 \xe5.nmea')"
expect_exit 0 "$VW" decode "$dir/tagged.nmea" "$dir/$(printf 'r\xc3\xa5 \xe5.nmea')"
cp "$VW_TMP/out" "$VW_TMP/decode.ndjson"
expect_exit 0 "$VW" decode -f csv "$dir/tagged.nmea" "$dir/$(printf 'r\xc3\xa5 \xe5.nmea')"
cp "$VW_TMP/out" "$VW_TMP/decode.csv"
expect_exit 0 "$VW" info "$db"
cp "$VW_TMP/out" "$VW_TMP/info.txt"
gp=$VW_TMP/all.gpkg
expect_exit 0 "$VW" track "$db" --all -f gpkg -o "$gp"

python3 - "$VW_TMP" "$dir/expected.json" "$gfw" <<'PY'
import json, os, sqlite3, sys
tmp, expected = sys.argv[1], json.load(open(sys.argv[2]))
gfw_path = os.fsencode(sys.argv[3])
def read_utf8(name):
    return open(os.path.join(tmp, name), "rb").read().decode("utf-8")  # strict: raises on a bad byte

# vessels --json: every line is JSON, every identity as Python replaces the source's bytes
seen = 0
for line in read_utf8("vessels.ndjson").splitlines():
    v = json.loads(line)
    want = expected.get(str(v["mmsi"]))
    if want is None:
        continue
    ident = v["identities"][0]
    for field in ("name", "callsign", "destination"):
        assert ident[field] == want[field], (v["mmsi"], field, ident[field], want[field])
    seen += 1
assert seen == len(expected), (seen, len(expected))
assert any("\ufffd" in e["name"] for e in expected.values())  # the test holds replacements at all

# the text table: valid UTF-8, and it shows the replaced names
text = read_utf8("vessels.txt")
for want in expected.values():
    assert '"%s"' % want["name"] in text, want["name"]

# info --json: the file's path (a quote, a backslash and Latin-1 bytes) and the tag block's source
info = json.loads(read_utf8("info.json"))
paths = [f["path"] for f in info["files"]]
assert any(p.endswith(os.path.basename(gfw_path).decode("utf-8", "replace")) for p in paths), paths
assert len(info["files"]) == 2 and len(info["sources"]) == 2, info
decoded = [json.loads(l) for l in read_utf8("decode.ndjson").splitlines()]
assert [d["station"] for d in decoded] == ['RX "\ufffdst"'] * 2, decoded
assert decoded[1]["device"].endswith("r\u00e5 \ufffd.nmea"), decoded[1]["device"]  # UTF-8 kept, Latin-1 replaced
import csv, io
rows = list(csv.DictReader(io.StringIO(read_utf8("decode.csv"))))
assert [r["station"] for r in rows] == ['RX "\ufffdst"'] * 2, rows
assert rows[1]["device"] == decoded[1]["device"], rows[1]["device"]
assert os.path.basename(gfw_path).decode("utf-8", "replace") in read_utf8("info.txt")

# the GeoPackage's vessels table holds UTF-8 text only
con = sqlite3.connect(os.path.join(tmp, "all.gpkg"))
con.text_factory = bytes
rows = con.execute("SELECT mmsi, name, callsign FROM vessels").fetchall()
assert len(rows) >= len(expected)
for mmsi, name, cs in rows:
    want = expected.get(str(mmsi))
    if want is None:
        continue
    assert name.decode("utf-8") == want["name"], (mmsi, name)
    assert cs.decode("utf-8") == want["callsign"], (mmsi, cs)
print("utf8 output checks passed: %d vessels" % seen)
PY
ok

# ingest --stats: the report names the file (quote, backslash, Latin-1 bytes) in valid JSON
expect_exit 0 "$VW" ingest --stats --no-screen "$VW_TMP/u2.vw" "$gfw"
cp "$VW_TMP/out" "$VW_TMP/ingest-stats.json"

# sanctions lists whose names are not UTF-8 (a UK CSV in Latin-1, as spreadsheets export it): import,
# show, entities, diff and screen print UTF-8 with U+FFFD in place of the Latin-1 bytes
H="Name 6,Name 1,Name 2,Name 3,Name 4,Name 5,Title,Name Non-Latin Script,Non-Latin Script Type,Non-Latin Script Language,DOB,Town of Birth,Country of Birth,Nationality,Passport Number,Passport Details,National Identification Number,National Identification Details,Position,Address 1,Address 2,Address 3,Address 4,Address 5,Address 6,Post/Zip Code,Country,Other Information,Group Type,Alias Type,Alias Quality,Regime,Listed On,UK Sanctions List Date Designated,Last Updated,Group ID"
for v in 1 2; do
  {
    echo "Last Updated,28/11/2026"
    echo "$H"
    printf 'SEA BR\xc9EZE %s,,,,,,,,,,,,,,,,,,,,,,,,,,,"(UK Sanctions List Ref):RUS9998 (IMO number):9179842",Ship,Primary name,,Russia,15/03/2022,15/03/2022,15/03/2022,15003\n' "$v"
    printf 'B\xd8RGE,,,,,,,,,,,,,,,,,,,,,,,,,,,,Ship,Primary name,,Russia,15/03/2022,15/03/2022,15/03/2022,15004\n'
  } > "$dir/ConList$v.csv"
done
ldb=$VW_TMP/lists.vw
expect_exit 0 "$VW" lists import --stats "$ldb" "$dir/ConList1.csv"
cp "$VW_TMP/out" "$VW_TMP/lists-import.json"
expect_exit 0 "$VW" lists show "$ldb"
cp "$VW_TMP/out" "$VW_TMP/lists-show.txt"
expect_exit 0 "$VW" lists show --entities 1 "$ldb"
cp "$VW_TMP/out" "$VW_TMP/lists-entities.ndjson"
expect_exit 0 "$VW" lists diff "$dir/ConList1.csv" "$dir/ConList2.csv"
cp "$VW_TMP/out" "$VW_TMP/lists-diff.txt"
expect_exit 0 "$VW" screen "$ldb" --name "Sea Breeze" --imo 9179842 --type vessel
cp "$VW_TMP/out" "$VW_TMP/screen.txt"
expect_exit 0 "$VW" screen "$ldb" --name "Sea Breeze" --imo 9179842 --type vessel -f ndjson
cp "$VW_TMP/out" "$VW_TMP/screen.ndjson"
expect_exit 0 "$VW" screen "$ldb" --name "Sea Breeze" --imo 9179842 --type vessel -f csv
cp "$VW_TMP/out" "$VW_TMP/screen.csv"

python3 - "$VW_TMP" <<'PY'
import csv, io, json, os, sys
tmp = sys.argv[1]
def read_utf8(name):
    return open(os.path.join(tmp, name), "rb").read().decode("utf-8")
stats = json.loads(read_utf8("ingest-stats.json"))
assert "\ufffdt\ufffd" in json.dumps(stats, ensure_ascii=False), stats
json.loads(read_utf8("lists-import.json"))
assert "ConList1.csv" in read_utf8("lists-show.txt")
captions = {json.loads(l)["caption"] for l in read_utf8("lists-entities.ndjson").splitlines()}
assert captions == {"SEA BR\ufffdEZE 1", "B\ufffdRGE"}, captions
diff = read_utf8("lists-diff.txt")
assert "SEA BR\ufffdEZE 2" in diff, diff
assert "SEA BR\ufffdEZE 1" in read_utf8("screen.txt")
assert any(json.loads(l)["matched_name"] == "SEA BR\ufffdEZE 1" for l in read_utf8("screen.ndjson").splitlines())
assert any("SEA BR\ufffdEZE 1" in r.values() for r in csv.DictReader(io.StringIO(read_utf8("screen.csv"))))
print("lists and screen output checks passed")
PY
ok

# simulate --stats and --truth: a scenario whose name holds a quote and a backslash, in a file whose
# path holds a Latin-1 byte
COAST="$VW_SRC/node_modules/world-atlas/land-10m.json"
if [ -f "$COAST" ]; then
  scen="$dir/$(printf 'sc\xe9n.toml')"
  cat > "$scen" <<'TOML'
[scenario]
name = "q \"uote\" \\ x"
start = 2024-03-10T00:00:00Z
duration_hours = 1
seed = 3

[[stations]]
id = "NAKHODKA"
at = [42.80, 132.90]
range_nm = 60

[[ports]]
name = "Vostochny"
at = [42.7634, 133.0041]

[[vessels]]
id = "v1"
name = "V ONE"
mmsi = 273990001
speed_knots = 10
itinerary = [ { port = "Vostochny" }, { at = [42.65, 132.95] } ]
TOML
  expect_exit 0 "$VW" simulate "$scen" --coastline "$COAST" -o "$VW_TMP/sim.nmea" --truth "$VW_TMP/truth.json" --stats
  python3 - "$VW_TMP" <<'PY'
import json, os, sys
tmp = sys.argv[1]
# (stderr's human-readable lines name the path as it is; the JSON line must be UTF-8)
stats = [l.decode("utf-8") for l in open(os.path.join(tmp, "err"), "rb").read().splitlines() if l.startswith(b"{")]
assert json.loads(stats[-1])["scenario"] == 'q "uote" \\ x', stats
truth = json.loads(open(os.path.join(tmp, "truth.json"), "rb").read().decode("utf-8"))
assert truth["scenario"] == 'q "uote" \\ x' and truth["scenario_file"].endswith("sc\ufffdn.toml"), truth["scenario_file"]
print("simulate output checks passed")
PY
  ok
fi

# the store itself keeps the source's bytes (traceability): raw shows the very line
expect_exit 0 "$VW" track "$db" --mmsi 273000001 -f csv --with-source
src=$(tail -n 1 "$VW_TMP/out" | awk -F, '{print $NF}')
expect_exit 0 "$VW" raw "$db" "$src"
grep -q $'\xc5LESUND' "$VW_TMP/out" || fail "raw did not print the source's bytes"; ok
done_ok
