#!/usr/bin/env bash
# Partial failure (issue 7): a batch of inputs where some are bad (missing, a truncated gzip stream, a
# decompression bomb, a corrupt stream mid-file) leaves the database as it was before each bad file,
# reports which inputs were done and which failed (JSON report and stderr), carries on with the
# others (--strict stops at the first), and a re-run continues; the same when the disk fills up
# (RLIMIT_FSIZE). All files are made here.
source "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || { echo "SKIP: python3 needed"; exit 77; }

# Three good NMEA files of one vessel (different days), made with encode.
for d in 1 2 3; do
  for k in 0 1 2 3 4 5 6 7 8 9; do
    echo "{\"class\":\"AIS\",\"type\":1,\"repeat\":0,\"mmsi\":27344466$d,\"scaled\":true,\"status\":0,\"turn\":0,\"speed\":10.5,\"accuracy\":false,\"lon\":132.5$k,\"lat\":43.1,\"course\":90.0,\"heading\":91,\"second\":14,\"maneuver\":0,\"raim\":false,\"radio\":$k,\"rxtime\":\"2024-03-0${d}T00:0$k:00.000Z\",\"station\":\"S1\"}"
  done > "$VW_TMP/day$d.ndjson"
  "$VW" encode --lf -q "$VW_TMP/day$d.ndjson" > "$VW_TMP/day$d.nmea"
done
# A big file whose gzip stream is cut in the middle (the first lines decode, then the stream fails).
python3 - "$VW_TMP/day2.nmea" "$VW_TMP/cut.nmea.gz" <<'PY'
import gzip, sys, random
lines = open(sys.argv[1]).read().splitlines()
rng = random.Random(1)
data = ("\n".join(lines * 3000) + "\n").encode()
z = gzip.compress(data, 6)
open(sys.argv[2], "wb").write(z[: len(z) // 2])
PY
# A decompression bomb (ratio far above --max-ratio 50 once past the grace size).
python3 -c "import gzip,sys; sys.stdout.buffer.write(gzip.compress(b'\n' * (80 << 20), 9))" > "$VW_TMP/bomb.gz"
# A zstd file with a corrupted byte in the middle of its compressed data.
if command -v zstd >/dev/null; then
  python3 - "$VW_TMP/day3.nmea" "$VW_TMP/corrupt.nmea" <<'PY'
import sys
lines = open(sys.argv[1]).read().splitlines()
open(sys.argv[2], "w").write("\n".join(lines * 5000) + "\n")
PY
  zstd -q -f "$VW_TMP/corrupt.nmea" -o "$VW_TMP/corrupt.nmea.zst"
  python3 - "$VW_TMP/corrupt.nmea.zst" <<'PY'
import sys
p = sys.argv[1]; b = bytearray(open(p, "rb").read()); b[len(b) // 2] ^= 0xFF; b[len(b) // 2 + 1] ^= 0x55
open(p, "wb").write(bytes(b))
PY
  corrupt=$VW_TMP/corrupt.nmea.zst
else
  corrupt=$VW_TMP/cut.nmea.gz
fi

db=$VW_TMP/p.vw
set +e
"$VW" ingest --stats --no-screen --max-ratio 50 "$db" "$VW_TMP/day1.nmea" "$VW_TMP/missing.nmea" \
  "$VW_TMP/cut.nmea.gz" "$VW_TMP/bomb.gz" "$corrupt" "$VW_TMP/day2.nmea" > "$VW_TMP/report.json" 2> "$VW_TMP/err"
rc=$?
set -e
[ $rc -eq 1 ] || { cat "$VW_TMP/err"; fail "a batch with failed inputs should exit 1, got $rc"; }; ok
read -r done failed outcomes < <(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
print(r["done"], r["failed"], ",".join(f["outcome"] for f in r["files"]))' "$VW_TMP/report.json")
[ "$done" -eq 2 ] && [ "$failed" -eq 4 ] || fail "expected 2 done and 4 failed, got $done/$failed"; ok
[ "$outcomes" = "ingested,failed,failed,failed,failed,ingested" ] || fail "outcomes: $outcomes"; ok
expect_grep "FAILED .*missing.nmea" "$VW_TMP/err"
expect_grep "FAILED .*cut.nmea.gz" "$VW_TMP/err"
expect_grep "FAILED .*bomb.gz" "$VW_TMP/err"
expect_grep "4 input(s) FAILED" "$VW_TMP/err"
grep -q '"error":".*bomb.gz' "$VW_TMP/report.json" || fail "the report should say why bomb.gz failed"; ok
# The database holds exactly the two good files: nothing of the failed ones, not even a file record.
"$VW" info --json "$db" > "$VW_TMP/info.json"
python3 - "$VW_TMP/info.json" <<'PY' || fail "database holds more than the good files"
import json, sys
i = json.load(open(sys.argv[1]))
assert i["positions"] == 20, i["positions"]
assert len(i["files"]) == 2, [f["path"] for f in i["files"]]
assert all(f["complete"] for f in i["files"])
PY
ok

# A re-run continues: the good files are held, a repaired file is ingested.
"$VW" encode --lf -q "$VW_TMP/day3.ndjson" | gzip -c > "$VW_TMP/cut.nmea.gz"
set +e
"$VW" ingest --stats --no-screen --max-ratio 50 "$db" "$VW_TMP/day1.nmea" "$VW_TMP/cut.nmea.gz" "$VW_TMP/bomb.gz" \
  "$VW_TMP/day2.nmea" > "$VW_TMP/report.json" 2> "$VW_TMP/err"
rc=$?
set -e
[ $rc -eq 1 ] || fail "the bomb still fails: exit 1 expected, got $rc"; ok
outcomes=$(python3 -c 'import json,sys; print(",".join(f["outcome"] for f in json.load(open(sys.argv[1]))["files"]))' "$VW_TMP/report.json")
[ "$outcomes" = "already_held,ingested,failed,already_held" ] || fail "re-run outcomes: $outcomes"; ok

# --strict stops at the first failed input; the ones before it stay, the ones after are not read.
set +e
"$VW" ingest --strict --stats --no-screen "$VW_TMP/s.vw" "$VW_TMP/day1.nmea" "$VW_TMP/missing.nmea" "$VW_TMP/day2.nmea" \
  > "$VW_TMP/report.json" 2> "$VW_TMP/err"
rc=$?
set -e
[ $rc -eq 1 ] || fail "--strict with a failed input should exit 1, got $rc"; ok
expect_grep "stopping; 1 input(s) not read" "$VW_TMP/err"
grep -q '"not_read":1' "$VW_TMP/report.json" || fail "report should count the input not read"; ok
"$VW" info --json "$VW_TMP/s.vw" | grep -q '"positions":10' || fail "--strict: the file before the failure should be kept"; ok

# Disk full (issue 7): RLIMIT_FSIZE in a subshell with SIGXFSZ ignored, so that write() fails with
# EFBIG for the database and its WAL as on a full disk. The ingest fails naming the cause, what
# queries show is what the database held before, and a re-run with room ingests the file once.
python3 - "$VW_TMP/big.ndjson" <<'PY'
import json, random, sys
rng = random.Random(11)
with open(sys.argv[1], "w") as out:
    for k in range(30000):
        v = k % 10
        t = 1709251200 + (k // 10) * 10
        m = {"class": "AIS", "type": 1, "repeat": 0, "mmsi": 273500000 + v, "scaled": True, "status": 0,
             "turn": 0, "speed": round(rng.uniform(0, 20), 1), "accuracy": False,
             "lon": round(rng.uniform(120, 140), 6), "lat": round(rng.uniform(30, 50), 6),
             "course": round(rng.uniform(0, 359), 1), "heading": rng.randrange(0, 360), "second": t % 60,
             "maneuver": 0, "raim": False, "radio": rng.randrange(0, 1 << 19),
             "rxtime": "%s.000Z" % __import__("datetime").datetime.fromtimestamp(t, __import__("datetime").timezone.utc).strftime("%Y-%m-%dT%H:%M:%S"),
             "station": "S1"}
        out.write(json.dumps(m, separators=(",", ":")) + "\n")
PY
"$VW" encode --lf -q "$VW_TMP/big.ndjson" > "$VW_TMP/big.nmea"
full=$VW_TMP/full.vw
expect_exit 0 "$VW" ingest -q --no-screen "$full" "$VW_TMP/day1.nmea"
counts() { "$VW" info --json "$1" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["positions"], sum(f["complete"] for f in d["files"]))'; }
before=$(counts "$full")
limit_kb=$(python3 -c 'import os,sys; s=[os.path.getsize(p) for p in sys.argv[1:] if os.path.exists(p)]; print(max(s) // 1024 + 64)' "$full" "$full-wal")
set +e
( ulimit -f "$limit_kb"; trap '' XFSZ; exec "$VW" ingest --stats --no-screen --batch 500 "$full" "$VW_TMP/big.nmea" "$VW_TMP/day1.nmea" ) \
  > "$VW_TMP/full.json" 2> "$VW_TMP/full.err"
rc=$?
set -e
# exit 3 (the output, the database, could not be written), not 1 (a bad input)
[ $rc -eq 3 ] || fail "an ingest that runs out of disk must exit 3, got $rc: $(cat "$VW_TMP/full.err")"; ok
# SQLite says "database or disk is full" or, for a WAL write, "disk I/O error"; either names the database
expect_grep "full.vw: .*disk" "$VW_TMP/full.err"
# the run stops there (the next input is not read) and still reports what it did
expect_grep "the database cannot be written: stopping; 1 input(s) not read" "$VW_TMP/full.err"
python3 - "$VW_TMP/full.json" <<'PY' || fail "the report of the failed run"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["failed"] == 1 and r["not_read"] == 1 and r["done"] == 0, r
assert r["files"][0]["outcome"] == "failed" and "disk" in r["files"][0]["error"], r["files"]
PY
ok
[ "$(counts "$full")" = "$before" ] || fail "after disk full: $(counts "$full"), before: $before"; ok
expect_exit 0 "$VW" ingest --stats --no-screen "$full" "$VW_TMP/big.nmea"
python3 - "$VW_TMP/out" <<'PY' || fail "the re-run should ingest the file once"
import json, sys
r = json.load(open(sys.argv[1]))
assert [f["outcome"] for f in r["files"]] in (["ingested"], ["replaced_partial"]), r["files"]
PY
ok
read -r pos files < <(counts "$full")
[ "$pos" -eq $(( ${before%% *} + 30000 )) ] && [ "$files" -eq 2 ] || fail "after the re-run: $pos positions, $files files"; ok
done_ok
