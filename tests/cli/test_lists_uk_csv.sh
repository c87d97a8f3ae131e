#!/usr/bin/env bash
# vesselwatch lists import of UK CSV lists (OFSI ConList.csv, FCDO UK Sanctions List CSV), generated in
# their published header layouts (no real CSV is in ../shared/data): format detection, a ship screened
# by IMO and name, malformed rows counted with file:line, --list-format uk-csv.
source "$(dirname "$0")/lib.sh"
DB="$VW_TMP/uk.vw"
H="Name 6,Name 1,Name 2,Name 3,Name 4,Name 5,Title,Name Non-Latin Script,Non-Latin Script Type,Non-Latin Script Language,DOB,Town of Birth,Country of Birth,Nationality,Passport Number,Passport Details,National Identification Number,National Identification Details,Position,Address 1,Address 2,Address 3,Address 4,Address 5,Address 6,Post/Zip Code,Country,Other Information,Group Type,Alias Type,Alias Quality,Regime,Listed On,UK Sanctions List Date Designated,Last Updated,Group ID"
{
  echo "Last Updated,28/11/2026"
  echo "$H"
  echo 'SEA BREEZE,,,,,,,,,,,,,,,,,,,,,,,,,,,"(UK Sanctions List Ref):RUS9998 (IMO number):9179842",Ship,Primary name,,Russia,15/03/2022,15/03/2022,15/03/2022,15003'
  echo 'OCEAN WIND,,,,,,,,,,,,,,,,,,,,,,,,,,,,Ship,Previous name,,Russia,15/03/2022,15/03/2022,15/03/2022,15003'
  echo 'PETROVSKY,Ivan,Ilyich,,,,,,,,,,,Russia,,,,,,,,,,,,,,,Individual,Primary name,,Russia,15/03/2022,15/03/2022,15/03/2022,15001'
  echo 'BROKEN,ROW'
} > "$VW_TMP/ConList.csv"

expect_exit 0 "$VW" lists import --stats "$DB" "$VW_TMP/ConList.csv"
expect_grep "imported list 1: uk" "$VW_TMP/err"
expect_grep '"format":"uk-csv"' "$VW_TMP/out"
expect_grep '"publication_date":"2026-11-28"' "$VW_TMP/out"
expect_grep "ConList.csv:6: 2 fields, expected 36" "$VW_TMP/err"
expect_exit 0 "$VW" lists show --entities 1 "$DB"
expect_grep '"caption":"SEA BREEZE"' "$VW_TMP/out"
expect_grep '9179842' "$VW_TMP/out"
expect_exit 0 "$VW" screen "$DB" --name "Ocean Wind" --type vessel --imo 9179842
expect_grep "SEA BREEZE" "$VW_TMP/out"
# the same file read with an explicit format
expect_exit 0 "$VW" lists diff --list-format uk-csv "$VW_TMP/ConList.csv" "$VW_TMP/ConList.csv"
# a CSV that is neither OFAC nor UK is refused with the file named
printf 'a,b\n1,2\n' > "$VW_TMP/other.csv"
expect_exit 1 "$VW" lists import "$DB" "$VW_TMP/other.csv"
expect_grep "other.csv" "$VW_TMP/err"
done_ok
