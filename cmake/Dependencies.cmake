# Every dependency is a Debian 12 package installed by scripts/install-deps.sh.
# A missing one stops configure with the package to install.
find_package(PkgConfig QUIET)

macro(vw_require_pkg var module debian_pkg)
  if(NOT PKG_CONFIG_FOUND)
    message(FATAL_ERROR "pkg-config not found: run scripts/install-deps.sh (Debian package pkg-config)")
  endif()
  pkg_check_modules(${var} QUIET IMPORTED_TARGET ${module})
  if(NOT ${var}_FOUND)
    message(FATAL_ERROR "Missing dependency '${module}': install the Debian package ${debian_pkg} "
                        "(scripts/install-deps.sh installs everything)")
  endif()
endmacro()

find_package(Threads REQUIRED)
vw_require_pkg(VW_ZLIB zlib zlib1g-dev)
vw_require_pkg(VW_LZMA liblzma liblzma-dev)
vw_require_pkg(VW_ZSTD libzstd libzstd-dev)
vw_require_pkg(VW_ISAL libisal libisal-dev)  # gzip inflate (io)
vw_require_pkg(VW_ARCHIVE libarchive libarchive-dev)
vw_require_pkg(VW_SQLITE sqlite3 libsqlite3-dev)
vw_require_pkg(VW_SIMDJSON simdjson libsimdjson-dev)
vw_require_pkg(VW_ICU icu-i18n libicu-dev)
vw_require_pkg(VW_ICUUC icu-uc libicu-dev)
vw_require_pkg(VW_XML2 libxml-2.0 libxml2-dev)
vw_require_pkg(VW_CURL libcurl libcurl4-openssl-dev)
vw_require_pkg(VW_TOMLPP tomlplusplus libtomlplusplus-dev)  # scenario files (sim)

# bzip2 ships no pkg-config file on Debian 12
find_package(BZip2)
if(NOT BZIP2_FOUND)
  message(FATAL_ERROR "Missing dependency bzip2: install the Debian package libbz2-dev "
                      "(scripts/install-deps.sh installs everything)")
endif()

# libcurl: headers only. src/screen/fetch.cpp loads the library when a download starts (dlopen), so
# that the programs do not load it and its own dependencies at every start.
add_library(vw_curl_headers INTERFACE)
target_include_directories(vw_curl_headers INTERFACE ${VW_CURL_INCLUDE_DIRS})

set(VW_DEP_TARGETS
    PkgConfig::VW_ZLIB PkgConfig::VW_ISAL PkgConfig::VW_LZMA PkgConfig::VW_ZSTD PkgConfig::VW_ARCHIVE
    PkgConfig::VW_SQLITE PkgConfig::VW_SIMDJSON PkgConfig::VW_ICU PkgConfig::VW_ICUUC PkgConfig::VW_XML2 vw_curl_headers PkgConfig::VW_TOMLPP BZip2::BZip2 Threads::Threads
    ${CMAKE_DL_LIBS})
