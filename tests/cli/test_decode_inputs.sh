#!/usr/bin/env bash
# decode reads plain, compressed and archived inputs alike, from files, directories and stdin,
# and --types filters; the same messages come out every way.
source "$(dirname "$0")/lib.sh"
need_shared
SRC="$VW_SHARED/data/ais/dma-aislib/stream_example.txt"
mkdir -p "$VW_TMP/in"
cp "$SRC" "$VW_TMP/in/plain.txt"
gzip -c "$SRC" > "$VW_TMP/in/a.gz"; bzip2 -c "$SRC" > "$VW_TMP/in/a.bz2"
xz -c "$SRC" > "$VW_TMP/in/a.xz"; zstd -q -c "$SRC" > "$VW_TMP/in/a.zst"
(cd "$VW_TMP/in" && zip -q a.zip plain.txt)

strip() { sed -E 's/"device":"[^"]*",//' "$1"; }
"$VW" decode -q "$VW_TMP/in/plain.txt" > "$VW_TMP/ref.ndjson"
n=$(wc -l < "$VW_TMP/ref.ndjson"); [ "$n" -gt 1000 ] || fail "only $n messages from $SRC"; ok
for f in a.gz a.bz2 a.xz a.zst a.zip; do
  "$VW" decode -q "$VW_TMP/in/$f" > "$VW_TMP/$f.ndjson"
  cmp -s <(strip "$VW_TMP/ref.ndjson") <(strip "$VW_TMP/$f.ndjson") || fail "$f decodes differently from the plain file"; ok
done
"$VW" decode -q - < "$VW_TMP/in/a.gz" > "$VW_TMP/stdin.ndjson"
cmp -s <(strip "$VW_TMP/ref.ndjson") <(strip "$VW_TMP/stdin.ndjson") || fail "stdin (gz) differs"; ok
# a directory: six sources, each the same messages
"$VW" decode --stats "$VW_TMP/in" > "$VW_TMP/dir.ndjson" 2> "$VW_TMP/dir.stats"
[ "$(wc -l < "$VW_TMP/dir.ndjson")" -eq $((6 * n)) ] || fail "directory: expected $((6 * n)) messages"; ok
expect_grep '"a.zip!plain.txt"' <(sed 's#[^"]*/in/##g' "$VW_TMP/dir.stats")
# --types keeps exactly the requested types
"$VW" decode -q --types 5 "$VW_TMP/in/plain.txt" > "$VW_TMP/t5.ndjson"
[ "$(grep -c '"type":5,' "$VW_TMP/ref.ndjson")" -eq "$(wc -l < "$VW_TMP/t5.ndjson")" ] || fail "--types 5 count"; ok
! grep -v '"type":5,' "$VW_TMP/t5.ndjson" | grep -q . || fail "--types 5 let other types through"; ok
# receive times from the $PGHP wrappers are kept
expect_grep '"rxtime":"2010-06-11T11:46:' "$VW_TMP/ref.ndjson"
done_ok
