#!/usr/bin/env bash
# Sourced by run-fuzzers.sh and fuzz-long.sh: fuzz_seed_dirs NAME WORK prints, one per line, the seed
# directories for fuzz target NAME: the checked-in corpus fuzz/corpus/NAME and, when ../shared is
# present (never required), WORK/seed filled with the heads of the real captures and lists.
fuzz_seed_dirs() {
  local name=$1 work=$2 src shared f
  src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  shared=${VW_SHARED:-$src/../shared}
  [ -d "$src/fuzz/corpus/$name" ] && echo "$src/fuzz/corpus/$name"
  [ -d "$shared/data" ] || return 0
  mkdir -p "$work/seed"
  case "$name" in
    fuzz_nmea_*|fuzz_io_*|fuzz_ais_payload)
      for f in "$shared"/data/ais/*/*.nmea "$shared"/data/ais/kystverket/norwegian.raw \
               "$shared"/data/ais/dma-aislib/stream_example.txt "$shared"/data/ais/libais/*.nmea; do
        [ -f "$f" ] || continue
        head -c 3000 "$f" > "$work/seed/$(basename "$f").seed"
      done ;;
    fuzz_ais_json)
      printf '%s\n' '{"class":"AIS","type":1,"repeat":0,"mmsi":367033650,"scaled":true,"status":0,"turn":"nan","speed":8.6,"accuracy":false,"lon":-70.346905,"lat":42.798550,"course":35.9,"heading":511,"second":56,"maneuver":0,"raim":false,"radio":100422}' > "$work/seed/t1.json" ;;
    fuzz_screen_un_xml) for f in "$shared"/data/sanctions/un/*.xml; do head -c 4000 "$f" > "$work/seed/$(basename "$f")"; done ;;
    fuzz_screen_uk_xml) for f in "$shared"/data/sanctions/uk/*.xml; do head -c 4000 "$f" > "$work/seed/$(basename "$f")"; done ;;
    fuzz_screen_ofac_xml) for f in "$shared"/data/sanctions/ofac/consolidated_nonsdn/*.xml; do [ -f "$f" ] && head -c 4000 "$f" > "$work/seed/$(basename "$f")"; done ;;
    fuzz_screen_ofac_csv) head -c 4000 "$shared/data/sanctions/ofac/sdn_2024-05-03.csv" > "$work/seed/sdn.csv" ;;
    fuzz_screen_ftm_json) for f in "$shared"/data/sanctions/opensanctions/*; do [ -f "$f" ] && head -c 4000 "$f" > "$work/seed/$(basename "$f")"; done ;;
  esac
  echo "$work/seed"
}
