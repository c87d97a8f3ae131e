#!/usr/bin/env bash
# Exit codes, help and error messages of the CLI (docs/cli/exit-codes.md).
source "$(dirname "$0")/lib.sh"

expect_exit 0 "$VW" --help;            expect_grep "COMMANDS" "$VW_TMP/out"
expect_exit 2 "$VW";                   # no command: usage
expect_exit 2 "$VW" frobnicate;        expect_grep "unknown command 'frobnicate'" "$VW_TMP/err"
expect_exit 0 "$VW" --version;         expect_grep "vesselwatch " "$VW_TMP/out"
for cmd in decode encode; do
  expect_exit 0 "$VW" $cmd --help
  for section in NAME SYNOPSIS DESCRIPTION OPTIONS EXAMPLES "EXIT STATUS"; do expect_grep "$section" "$VW_TMP/out"; done
  expect_exit 2 "$VW" $cmd --no-such-option; expect_grep "unknown option '--no-such-option'" "$VW_TMP/err"
done
expect_exit 2 "$VW" decode --types 0,99 /dev/null; expect_grep "message types are 1 to 27" "$VW_TMP/err"
expect_exit 2 "$VW" decode --format xml /dev/null;  expect_grep "not one of ndjson, csv" "$VW_TMP/err"
expect_exit 2 "$VW" decode --max-line-bytes abc /dev/null; expect_grep "not a non-negative integer" "$VW_TMP/err"

# a missing input: named in the message, exit 1, the other inputs still processed
printf '!AIVDM,1,1,,B,15N0>s?P00G?k7RKAC4h;ww00@C:,0*1C\n' > "$VW_TMP/one.nmea"
expect_exit 1 "$VW" decode "$VW_TMP/does-not-exist.nmea" "$VW_TMP/one.nmea"
expect_grep "does-not-exist.nmea" "$VW_TMP/err"
[ "$(wc -l < "$VW_TMP/out")" -eq 1 ] || fail "the readable input was not decoded"; ok

# an unwritable output: exit 3
expect_exit 3 "$VW" decode -o /nonexistent-dir/x.ndjson "$VW_TMP/one.nmea"

# --strict: the first bad line is fatal with file:line and the cause
printf '!AIVDM,1,1,,B,15N0>s?P00G?k7RKAC4h;ww00@C:,0*1C\n!AIVDM,1,1,,B,15N0>s?P00G?k7RKAC4h;ww00@C:,0*1D\n' > "$VW_TMP/bad.nmea"
expect_exit 0 "$VW" decode "$VW_TMP/bad.nmea";          expect_grep "bad_checksum 1" "$VW_TMP/err"
expect_exit 1 "$VW" decode --strict "$VW_TMP/bad.nmea"; expect_grep "bad.nmea:2: .*bad_checksum" "$VW_TMP/err"

# --strict names the exact line of a rejected line-level record (NUL byte on line 3)
printf '!AIVDM,1,1,,B,15N0>s?P00G?k7RKAC4h;ww00@C:,0*1C\n\n!AIVDM,1,1\000,,B,15N0,0*1C\n!AIVDM,1,1,,B,15N0>s?P00G?k7RKAC4h;ww00@C:,0*1C\n' > "$VW_TMP/nul.nmea"
expect_exit 0 "$VW" decode "$VW_TMP/nul.nmea";          expect_grep "binary_garbage 1" "$VW_TMP/err"
[ "$(wc -l < "$VW_TMP/out")" -eq 2 ] || fail "lines around the NUL line were not both decoded"; ok
expect_exit 1 "$VW" decode --strict "$VW_TMP/nul.nmea"; expect_grep "nul.nmea:3: .*binary_garbage" "$VW_TMP/err"

# stdin, and --stats JSON
expect_exit 0 "$VW" decode --stats - < "$VW_TMP/bad.nmea"
expect_grep '"bad_checksum":1' "$VW_TMP/err"; expect_grep '"messages":1' "$VW_TMP/err"
done_ok
