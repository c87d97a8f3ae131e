#!/usr/bin/env bash
# The one list of Debian 12 packages vesselwatch needs to build, test, benchmark and demo.
# Called by `make demo` and `make test`; safe to run again (apt-get skips what is installed).
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential cmake ninja-build pkg-config clang clang-format clang-tidy
  # libraries (found by CMake with find_package / pkg-config)
  zlib1g-dev libbz2-dev liblzma-dev libzstd-dev libisal-dev libarchive-dev libsqlite3-dev libsimdjson-dev libicu-dev libxml2-dev libcurl4-openssl-dev
  libtomlplusplus-dev
  # tests and fuzzing (libFuzzer and sanitizer runtimes come with clang)
  libgtest-dev libgmock-dev libclang-rt-14-dev
  # benchmarks
  libbenchmark-dev hyperfine
  # peers for differential tests and benchmarks: gpsd's gpsdecode, libais
  gpsd-clients python3-ais
  # compressors for generating test inputs
  gzip bzip2 xz-utils zstd zip
  # GDAL ogrinfo: the GeoPackage export is checked with a real reader (tests/cli/test_track_gpkg.sh)
  gdal-bin
  # the sqlite3 shell: tests/cli/test_screen_store.sh reads the store with it
  sqlite3
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

# npm fetches the coastline data (world-atlas, see package.json). The Debian package npm is installed
# only when no npm command exists (a NodeSource nodejs brings its own npm and conflicts with it).
command -v npm >/dev/null 2>&1 || missing+=(npm)

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
else
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Data from npm, pinned by package-lock.json (integrity-checked): the Natural Earth coastline
# (world-atlas land-10m.json, public domain data) into node_modules/, where vesselwatch looks for it.
ROOT=$(cd "$(dirname "$0")/.." && pwd)
if [ ! -f "$ROOT/node_modules/world-atlas/land-10m.json" ]; then
  echo "install-deps: npm ci (world-atlas coastline) in $ROOT"
  (cd "$ROOT" && npm ci --ignore-scripts --no-audit --no-fund)
fi

