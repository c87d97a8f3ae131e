#!/usr/bin/env bash
# vesselwatch lists fetch against a local HTTP server (127.0.0.1 only) serving the shared list files.
source "$(dirname "$0")/lib.sh"
need_shared
S="$VW_SHARED/data/sanctions"
mkdir -p "$VW_TMP/www"
cp "$S/un/UN_consolidated_2026-02-27.xml" "$VW_TMP/www/consolidated.xml"
cp "$S/ofac/sdn_2024-05-03.csv" "$VW_TMP/www/SDN.CSV"
PORT=$(( 20000 + RANDOM % 20000 ))
/usr/bin/python3 -m http.server --bind 127.0.0.1 --directory "$VW_TMP/www" "$PORT" > "$VW_TMP/http.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
  sleep 0.1
done
BASE="http://127.0.0.1:$PORT"
expect_exit 0 "$VW" lists fetch --dir "$VW_TMP/dl" --source un --source ofac-sdn \
  --url "un=$BASE/consolidated.xml" --url "ofac-sdn=$BASE/SDN.CSV" --import "$VW_TMP/f.vw"
expect_grep "fetched un: $BASE/consolidated.xml" "$VW_TMP/err"
cmp "$VW_TMP/dl/un_consolidated.xml" "$S/un/UN_consolidated_2026-02-27.xml" || fail "download differs"; ok
expect_grep "imported list .*: un" "$VW_TMP/err"
expect_grep "imported list .*: ofac-sdn" "$VW_TMP/err"
# a config file of NAME=URL lines, a new source name
printf '# local mirror\nmirror-un=%s/consolidated.xml\n' "$BASE" > "$VW_TMP/urls.conf"
expect_exit 0 "$VW" lists fetch --dir "$VW_TMP/dl2" --config "$VW_TMP/urls.conf" --source mirror-un
[ -s "$VW_TMP/dl2/consolidated.xml" ] || fail "config source not fetched"; ok
# HTTP 404 and a closed port: exit 1, the URL named, no partial file left
expect_exit 1 "$VW" lists fetch --dir "$VW_TMP/dl3" --source un --url "un=$BASE/missing.xml"
expect_grep "missing.xml" "$VW_TMP/err"
[ ! -e "$VW_TMP/dl3/un_consolidated.xml" ] && [ ! -e "$VW_TMP/dl3/un_consolidated.xml.part" ] || fail "partial file left"; ok
expect_exit 2 "$VW" lists fetch --source nosuch
expect_exit 2 "$VW" lists fetch --url nourl
done_ok
