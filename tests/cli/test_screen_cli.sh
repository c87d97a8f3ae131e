#!/usr/bin/env bash
# vesselwatch screen: one query and batch CSV -> CSV / NDJSON, against the real OFAC and UN lists.
source "$(dirname "$0")/lib.sh"
need_shared
S="$VW_SHARED/data/sanctions"
DB="$VW_TMP/case.vw"
expect_exit 0 "$VW" screen --help
for section in NAME SYNOPSIS DESCRIPTION OPTIONS EXAMPLES "EXIT STATUS" "batch QUERIES.csv"; do expect_grep "$section" "$VW_TMP/out"; done
expect_exit 2 "$VW" screen;                       expect_grep "usage" "$VW_TMP/err"
expect_exit 2 "$VW" screen "$DB";                 expect_grep "give --name" "$VW_TMP/err"
expect_exit 2 "$VW" screen "$DB" --name x --type ship; expect_grep "not one of vessel" "$VW_TMP/err"
expect_exit 2 "$VW" screen "$DB" --name x --threshold 2; expect_grep "from 0 to 1" "$VW_TMP/err"
expect_exit 1 "$VW" screen "$DB" --name x;        expect_grep "no such project database" "$VW_TMP/err"

expect_exit 0 "$VW" lists import -q "$DB" "$S/ofac/sdn_2024-05-03.csv" "$S/un/UN_consolidated_2026-02-27.xml"
# the vessels of docs/cases.md, by name (with a prefix) and by IMO
for pair in "ANGARA:9179842" "MARIA:8517839" "MAIA-1:9358010" "LADY R:9161003" "SPARTA IV:9743033"; do
  name=${pair%%:*}; imo=${pair##*:}
  expect_exit 0 "$VW" screen "$DB" --name "M/V $name" --type vessel --top 1 --format csv
  expect_grep ",1,1.0000,true,ofac-sdn,2024-05-03,.*,$name," "$VW_TMP/out"
  expect_exit 0 "$VW" screen "$DB" --imo "IMO $imo" --top 1
  expect_grep "MATCH ofac-sdn .* '$name'" "$VW_TMP/out"; expect_grep "imo +1.00 ($imo agrees)" "$VW_TMP/out"
done
expect_exit 0 "$VW" screen "$DB" --name "SPARTA III" --type vessel --format ndjson
expect_grep '"matched_name":"SPARTA IV".*"match":false\|"match":false.*"matched_name":"SPARTA IV"' "$VW_TMP/out"
expect_exit 0 "$VW" screen "$DB" --name "ООО Трансморфлот" --type company --top 1
expect_grep "MATCH ofac-sdn 37049" "$VW_TMP/out"

cat > "$VW_TMP/q.csv" <<'CSV'
id,name,type,imo,mmsi,country
a,Lady R,vessel,,,Russia
b,,vessel,9358010,,
c,Nobody Atall Whatsoever,person,,,
d,"Rotenberg, Arkady",person,,,
CSV
expect_exit 0 "$VW" screen "$DB" --batch "$VW_TMP/q.csv" -o "$VW_TMP/m.csv"
expect_grep "4 queries, 3 with a match" "$VW_TMP/err"
head -1 "$VW_TMP/m.csv" | grep -q "^query,query_name,rank,score,match," || fail "CSV header"; ok
expect_grep '^a,Lady R,1,1.0000,true' "$VW_TMP/m.csv"
expect_grep '^c,Nobody Atall Whatsoever,0,' "$VW_TMP/m.csv"
expect_exit 0 "$VW" screen "$DB" --batch "$VW_TMP/q.csv" --format ndjson -q
expect_grep '"query":"b".*"imo","value":"9358010"' "$VW_TMP/out"
# determinism: the same input gives byte-identical output
"$VW" screen "$DB" --batch "$VW_TMP/q.csv" -q > "$VW_TMP/m2.csv"
cmp "$VW_TMP/m.csv" "$VW_TMP/m2.csv" || fail "output differs between runs"; ok
printf 'id,name\n1,"unterminated\n' > "$VW_TMP/bad.csv"
expect_exit 1 "$VW" screen "$DB" --batch "$VW_TMP/bad.csv"; expect_grep "bad.csv:2" "$VW_TMP/err"
done_ok
