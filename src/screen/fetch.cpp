#include "vesselwatch/screen/fetch.hpp"

#include <curl/curl.h>

#include <cstdio>
#include <filesystem>
#include <mutex>

#include "vesselwatch/util/sha256.hpp"
#include "vesselwatch/util/error.hpp"

namespace vw::screen {

std::vector<FetchSource> default_fetch_sources() {
    const std::string ofac = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/";
    return {
        {"ofac-sdn", ofac + "SDN.CSV", "sdn.csv"},
        {"ofac-add", ofac + "ADD.CSV", "add.csv"},
        {"ofac-alt", ofac + "ALT.CSV", "alt.csv"},
        {"ofac-comments", ofac + "SDN_COMMENTS.CSV", "sdn_comments.csv"},
        {"un", "https://scsanctions.un.org/resources/xml/en/consolidated.xml", "un_consolidated.xml"},
        {"uk", "https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.xml", "uk_sanctions_list.xml"},
        {"eu",
         "https://webgate.ec.europa.eu/fsd/fsf/public/files/xmlFullSanctionsList_1_1/"
         "content?token=dG9rZW4tMjAxNw",
         "eu_fsf.xml"},
        {"opensanctions", "https://data.opensanctions.org/datasets/latest/sanctions/entities.ftm.json",
         "opensanctions_sanctions.ftm.json"},
    };
}

namespace {

struct Sink {
    std::FILE* f = nullptr;
    Sha256 hash;
    std::uint64_t bytes = 0;
    std::uint64_t max_bytes = 0;
    bool too_big = false;
    bool write_failed = false;
};

std::size_t on_data(char* p, std::size_t size, std::size_t n, void* user) {
    auto* s = static_cast<Sink*>(user);
    const std::size_t len = size * n;
    if (s->bytes + len > s->max_bytes) {
        s->too_big = true;
        return 0;
    }
    if (std::fwrite(p, 1, len, s->f) != len) {
        s->write_failed = true;
        return 0;
    }
    s->hash.update(std::string_view(p, len));
    s->bytes += len;
    return len;
}

}  // namespace

FetchResult fetch_to_file(const std::string& url, const std::string& path, const FetchOptions& options) {
    static std::once_flag init;
    std::call_once(init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    const std::string tmp = path + ".part";
    Sink sink;
    sink.max_bytes = options.max_bytes;
    sink.f = std::fopen(tmp.c_str(), "wb");
    if (sink.f == nullptr) throw IoError(SourceLocation{tmp}, "cannot open for writing");
    CURL* c = curl_easy_init();
    if (c == nullptr) {
        std::fclose(sink.f);
        throw IoError(SourceLocation{url}, "cannot start libcurl");
    }
    char err[CURL_ERROR_SIZE] = {0};
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, options.timeout_seconds);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_USERAGENT, "vesselwatch/" VW_VERSION);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, err);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
    const CURLcode rc = curl_easy_perform(c);
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(c);
    const bool closed = std::fclose(sink.f) == 0;
    if (rc != CURLE_OK || !closed) {
        std::remove(tmp.c_str());
        std::string cause = sink.too_big ? "larger than " + std::to_string(options.max_bytes) + " bytes"
                            : sink.write_failed || !closed ? "cannot write " + tmp
                            : err[0] != 0                  ? std::string(err)
                                                           : std::string(curl_easy_strerror(rc));
        throw IoError(SourceLocation{url}, "download failed: " + cause);
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) throw IoError(SourceLocation{path}, "cannot rename " + tmp + ": " + ec.message());
    FetchResult r;
    r.path = path;
    r.bytes = sink.bytes;
    r.sha256 = sink.hash.hex_digest();
    r.http_status = status;
    return r;
}

}  // namespace vw::screen
