// Downloading list files from their publishers (libcurl). The official URLs are defaults that
// `vesselwatch lists fetch --url NAME=URL` (or a file of NAME=URL lines) replaces.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace vw::screen {

struct FetchSource {
    std::string name;  ///< "ofac-sdn", "ofac-add", "un", "uk", "eu", "opensanctions", ...
    std::string url;
    std::string file_name;  ///< the name it is saved as ("sdn.csv", "un_consolidated.xml", ...)
};

/// The publishers' official URLs (docs/cli/lists.md lists them).
[[nodiscard]] std::vector<FetchSource> default_fetch_sources();

struct FetchOptions {
    static constexpr long kDefaultTimeoutSeconds = 300;
    static constexpr std::uint64_t kDefaultMaxBytes = std::uint64_t{4} << 30;
    long timeout_seconds = kDefaultTimeoutSeconds;
    std::uint64_t max_bytes = kDefaultMaxBytes;
};

struct FetchResult {
    std::string path;
    std::uint64_t bytes = 0;
    std::string sha256;
    long http_status = 0;
};

/// Downloads `url` to `path` (via a temporary file renamed on success; redirects followed, HTTP errors
/// are failures). Throws vw::IoError naming the URL and the cause.
FetchResult fetch_to_file(const std::string& url, const std::string& path, const FetchOptions& options = {});

}  // namespace vw::screen
