#!/usr/bin/env bash
# vesselwatch lists import / show / diff on the real list files of ../shared/data/sanctions.
source "$(dirname "$0")/lib.sh"
need_shared
S="$VW_SHARED/data/sanctions"
DB="$VW_TMP/case.vw"

expect_exit 0 "$VW" lists --help
for section in NAME SYNOPSIS DESCRIPTION OPTIONS EXAMPLES "EXIT STATUS" "import DB" "show DB" "diff OLD NEW" fetch; do
  expect_grep "$section" "$VW_TMP/out"
done
expect_exit 2 "$VW" lists;                 expect_grep "sub-verb is needed" "$VW_TMP/err"
expect_exit 2 "$VW" lists frobnicate x;    expect_grep "unknown sub-verb 'frobnicate'" "$VW_TMP/err"
expect_exit 2 "$VW" lists import "$DB";    expect_grep "usage" "$VW_TMP/err"
expect_exit 2 "$VW" lists import "$DB" "$S/ofac/watchman_2025-02-27/add.csv"; expect_grep "no sdn.csv is given" "$VW_TMP/err"

# the SDN CSV with companions of a later date: orphans are counted, named with file:line, not fatal
expect_exit 0 "$VW" lists import --stats "$DB" "$S/ofac/sdn_2024-05-03.csv" "$S/ofac/watchman_2025-02-27/add.csv" \
  "$S/ofac/watchman_2025-02-27/alt.csv" "$S/ofac/watchman_2025-02-27/sdn_comments.csv" \
  "$S/un/UN_consolidated_2026-02-27.xml" "$S/uk/sample_uk_sanctions_list_fixture.xml" \
  "$S/opensanctions/yente_fixture_zala_entities.ftm.json" "$S/ofac/consolidated_nonsdn/cons_2025-03-28.xml"
expect_grep "imported list 1: ofac-sdn" "$VW_TMP/err"
expect_grep "14965 entities" "$VW_TMP/err"
expect_grep "orphan companion rows" "$VW_TMP/err"
expect_grep "alt.csv:[0-9]*: entity [0-9]* is not in" "$VW_TMP/err"
expect_grep '"source":"un"' "$VW_TMP/out"
expect_grep '"sha256":"[0-9a-f]\{64\}"' "$VW_TMP/out"
[ "$(wc -l < "$VW_TMP/out")" -eq 5 ] || fail "expected 5 --stats lines"; ok
expect_exit 0 "$VW" lists import "$DB" "$S/un/UN_consolidated_2026-02-27.xml"
expect_grep "already imported as list 2" "$VW_TMP/err"
# --strict: orphan companion rows make the exit status 1 (the list is still imported)
expect_exit 1 "$VW" lists import --strict "$DB" "$S/ofac/sdn_2024-05-03.csv" "$S/ofac/watchman_2025-02-27/alt.csv"
expect_grep "orphan companion rows" "$VW_TMP/err"

expect_exit 0 "$VW" lists show "$DB"
expect_grep "ofac-sdn" "$VW_TMP/out"; expect_grep "2026-02-27" "$VW_TMP/out"; expect_grep "opensanctions" "$VW_TMP/out"
expect_exit 0 "$VW" lists show --format ndjson "$DB"; expect_grep '"publication_date":"2024-05-03"' "$VW_TMP/out"
expect_exit 0 "$VW" lists show --entities 1 "$DB"; expect_grep '"caption":"LADY R"' "$VW_TMP/out"
expect_exit 1 "$VW" lists show "$VW_TMP/missing.vw"; expect_grep "missing.vw" "$VW_TMP/err"

# a second UN publication replaces the first for screening; diff between the two publications
expect_exit 0 "$VW" lists import "$DB" "$S/un/UN_consolidated_2025-04-19.xml"
expect_grep "replaces the previous list" "$VW_TMP/err"
expect_exit 0 "$VW" lists diff "$S/un/UN_consolidated_2025-04-19.xml" "$S/un/UN_consolidated_2026-02-27.xml"
expect_grep "^+ " "$VW_TMP/out"; expect_grep "added, .* removed, .* changed" "$VW_TMP/err"
expect_exit 0 "$VW" lists diff --format ndjson "$S/un/UN_consolidated_2025-04-19.xml" "$S/un/UN_consolidated_2026-02-27.xml"
expect_grep '"change":"added"' "$VW_TMP/out"

# malformed and hostile files: exit 1, file and line named
printf '<?xml version="1.0"?>\n<CONSOLIDATED_LIST>\n<INDIVIDUALS>\n</CONSOLIDATED_LIST>\n' > "$VW_TMP/broken.xml"
expect_exit 1 "$VW" lists import "$DB" "$VW_TMP/broken.xml"; expect_grep "broken.xml:4" "$VW_TMP/err"
printf '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n<sdnList>&e;</sdnList>\n' > "$VW_TMP/xxe.xml"
expect_exit 1 "$VW" lists import "$DB" "$VW_TMP/xxe.xml"; expect_grep "declares entities" "$VW_TMP/err"
printf 'hello\n' > "$VW_TMP/hello.txt"
expect_exit 1 "$VW" lists import "$DB" "$VW_TMP/hello.txt"; expect_grep "unknown list format" "$VW_TMP/err"
done_ok
