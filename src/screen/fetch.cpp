#include "vesselwatch/screen/fetch.hpp"

#include <curl/curl.h>
#include <dlfcn.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <type_traits>

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

/// libcurl, loaded on first use (dlopen) rather than linked: it and the libraries it needs (TLS,
/// Kerberos, LDAP, HTTP/2, ...) cost every run of the CLI ≈ 4 ms of start-up (dynamic loading and
/// relocation), a few per cent of a `vesselwatch decode` of a 50 MB capture, and only `lists fetch`
/// uses them. The header still gives the types and constants (from libcurl4-openssl-dev).
struct Curl {
    decltype(&curl_global_init) global_init = nullptr;
    decltype(&curl_easy_init) easy_init = nullptr;
    decltype(&curl_easy_setopt) easy_setopt = nullptr;
    decltype(&curl_easy_perform) easy_perform = nullptr;
    decltype(&curl_easy_getinfo) easy_getinfo = nullptr;
    decltype(&curl_easy_cleanup) easy_cleanup = nullptr;
    decltype(&curl_easy_strerror) easy_strerror = nullptr;
    std::string error;  ///< why libcurl could not be loaded ("" when it was)
};

constexpr const char* kCurlLibrary = "libcurl.so.4";  // Debian package libcurl4

const Curl& curl() {
    static const Curl api = [] {
        Curl c;
        void* lib = dlopen(kCurlLibrary, RTLD_NOW | RTLD_LOCAL);  // kept loaded for the process
        if (lib == nullptr) {
            const char* why = dlerror();
            c.error = std::string("cannot load ") + kCurlLibrary + " (install the Debian package libcurl4): " +
                      (why != nullptr ? why : "unknown error");
            return c;
        }
        auto sym = [&](auto& fn, const char* name) {
            fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(dlsym(lib, name));
            if (fn == nullptr && c.error.empty())
                c.error = std::string(kCurlLibrary) + " has no " + name;
        };
        sym(c.global_init, "curl_global_init");
        sym(c.easy_init, "curl_easy_init");
        sym(c.easy_setopt, "curl_easy_setopt");
        sym(c.easy_perform, "curl_easy_perform");
        sym(c.easy_getinfo, "curl_easy_getinfo");
        sym(c.easy_cleanup, "curl_easy_cleanup");
        sym(c.easy_strerror, "curl_easy_strerror");
        if (c.error.empty() && c.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
            c.error = std::string(kCurlLibrary) + ": curl_global_init failed";
        if (!c.error.empty()) dlclose(lib);
        return c;
    }();
    return api;
}

}  // namespace

FetchResult fetch_to_file(const std::string& url, const std::string& path, const FetchOptions& options) {
    const Curl& api = curl();
    if (!api.error.empty()) throw IoError(SourceLocation{url}, "download failed: " + api.error);
    const std::string tmp = path + ".part";
    Sink sink;
    sink.max_bytes = options.max_bytes;
    sink.f = std::fopen(tmp.c_str(), "wb");
    if (sink.f == nullptr) throw IoError(SourceLocation{tmp}, "cannot open for writing");
    CURL* c = api.easy_init();
    if (c == nullptr) {
        std::fclose(sink.f);
        throw IoError(SourceLocation{url}, "cannot start libcurl");
    }
    char err[CURL_ERROR_SIZE] = {0};
    api.easy_setopt(c, CURLOPT_URL, url.c_str());
    api.easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    api.easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
    api.easy_setopt(c, CURLOPT_FAILONERROR, 1L);
    api.easy_setopt(c, CURLOPT_TIMEOUT, options.timeout_seconds);
    api.easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
    // Only HTTP(S), also after redirects: a libcurl too old for these options (before 7.85) fails
    // the download rather than fetching from wherever a redirect points.
    if (api.easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https") != CURLE_OK ||
        api.easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https") != CURLE_OK) {
        api.easy_cleanup(c);
        std::fclose(sink.f);
        std::remove(tmp.c_str());
        throw IoError(SourceLocation{url}, "download failed: this libcurl cannot restrict protocols (7.85 or "
                                           "later needed)");
    }
    api.easy_setopt(c, CURLOPT_USERAGENT, "vesselwatch/" VW_VERSION);
    api.easy_setopt(c, CURLOPT_ERRORBUFFER, err);
    api.easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    api.easy_setopt(c, CURLOPT_WRITEDATA, &sink);
    const CURLcode rc = api.easy_perform(c);
    long status = 0;
    api.easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    api.easy_cleanup(c);
    const bool closed = std::fclose(sink.f) == 0;
    if (rc != CURLE_OK || !closed) {
        std::remove(tmp.c_str());
        std::string cause = sink.too_big ? "larger than " + std::to_string(options.max_bytes) + " bytes"
                            : sink.write_failed || !closed ? "cannot write " + tmp
                            : err[0] != 0                  ? std::string(err)
                                                           : std::string(api.easy_strerror(rc));
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
