// load_list: maps a list file, hashes it, detects its format and runs the matching parser.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <filesystem>

#include "vesselwatch/screen/loaders.hpp"
#include "vesselwatch/util/sha256.hpp"
#include "vesselwatch/screen/xml_events.hpp"
#include "vesselwatch/util/error.hpp"

namespace vw::screen {

namespace {

constexpr std::size_t kSniffBytes = 4096;

// A read-only mapping of a whole file (empty files map to an empty view).
class MappedFile {
public:
    MappedFile(const std::string& path, std::uint64_t max_bytes) : path_(path) {
        fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd_ < 0) throw IoError(SourceLocation{path}, std::string("cannot open: ") + std::strerror(errno));
        struct stat st {};
        if (::fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode)) {
            ::close(fd_);
            throw IoError(SourceLocation{path}, "not a regular file");
        }
        size_ = static_cast<std::size_t>(st.st_size);
        if (size_ > max_bytes) {
            ::close(fd_);
            throw IoError(SourceLocation{path},
                          "file larger than the limit of " + std::to_string(max_bytes) + " bytes");
        }
        if (size_ > 0) {
            void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd_, 0);
            if (p == MAP_FAILED) {
                ::close(fd_);
                throw IoError(SourceLocation{path}, std::string("cannot map: ") + std::strerror(errno));
            }
            data_ = static_cast<const char*>(p);
            ::madvise(p, size_, MADV_SEQUENTIAL);
        }
    }
    ~MappedFile() {
        if (data_ != nullptr) ::munmap(const_cast<char*>(data_), size_);
        if (fd_ >= 0) ::close(fd_);
    }
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;
    [[nodiscard]] std::string_view view() const noexcept { return {data_, size_}; }

private:
    std::string path_;
    int fd_ = -1;
    const char* data_ = nullptr;
    std::size_t size_ = 0;
};

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string file_name(std::string_view path) {
    const auto slash = path.rfind('/');
    return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

// The first YYYY-MM-DD in a file name ("sdn_2024-05-03.csv"), or "".
std::string date_in_name(std::string_view name) {
    for (std::size_t i = 0; i + 10 <= name.size(); ++i) {
        const std::string_view s = name.substr(i, 10);
        bool ok = s[4] == '-' && s[7] == '-';
        for (const std::size_t k : {0U, 1U, 2U, 3U, 5U, 6U, 8U, 9U})
            ok = ok && std::isdigit(static_cast<unsigned char>(s[k])) != 0;
        if (ok) return std::string(s);
    }
    return {};
}

std::string source_of(ListFormat f, std::string_view path) {
    switch (f) {
        case ListFormat::ofac_csv:
        case ListFormat::ofac_xml:
            return lower(file_name(path)).find("cons") != std::string::npos ? "ofac-consolidated"
                                                                            : "ofac-sdn";
        case ListFormat::un_xml:
            return "un";
        case ListFormat::uk_xml:
        case ListFormat::uk_csv:
            return "uk";
        case ListFormat::eu_xml:
            return "eu";
        case ListFormat::ftm_json:
            return "opensanctions";
    }
    return "unknown";
}

enum class CompanionRole : std::uint8_t { none, add, alt, comments };

CompanionRole companion_role(std::string_view path) {
    const std::string n = lower(file_name(path));
    if (n == "add.csv" || n == "cons_add.csv") return CompanionRole::add;
    if (n == "alt.csv" || n == "cons_alt.csv") return CompanionRole::alt;
    if (n == "sdn_comments.csv" || n == "cons_comments.csv") return CompanionRole::comments;
    return CompanionRole::none;
}

}  // namespace

bool is_ofac_companion_name(std::string_view path) noexcept {
    try {
        return companion_role(path) != CompanionRole::none;
    } catch (...) {
        return false;
    }
}

ListFormat detect_format(std::string_view head, const std::string& file) {
    head = head.substr(0, std::min(head.size(), kSniffBytes));
    if (head.size() >= 3 && static_cast<unsigned char>(head[0]) == 0xEF &&
        static_cast<unsigned char>(head[1]) == 0xBB && static_cast<unsigned char>(head[2]) == 0xBF)
        head.remove_prefix(3);
    std::size_t i = 0;
    while (i < head.size() && std::isspace(static_cast<unsigned char>(head[i])) != 0) ++i;
    if (i < head.size() && head[i] == '<') {
        const std::string root = xml_root_name(head);
        if (root == "sdnList") return ListFormat::ofac_xml;
        if (root == "CONSOLIDATED_LIST") return ListFormat::un_xml;
        if (root == "Designations") return ListFormat::uk_xml;
        if (root == "export") return ListFormat::eu_xml;
        throw InputError(SourceLocation{file, 1},
                         "XML root element <" + root +
                             "> is not a known list format (sdnList, CONSOLIDATED_LIST, "
                             "Designations, export)");
    }
    if (i < head.size() && head[i] == '{') return ListFormat::ftm_json;
    if (looks_like_uk_csv(head)) return ListFormat::uk_csv;
    if (i < head.size() && std::isdigit(static_cast<unsigned char>(head[i])) != 0)
        return ListFormat::ofac_csv;
    throw InputError(SourceLocation{file, 1},
                     "unknown list format (expected OFAC CSV or XML, UN XML, UK XML or CSV, EU FSF XML or "
                     "FtM JSON lines)");
}

LoadedList load_list(const std::string& path, const LoadOptions& options) {
    if (companion_role(path) != CompanionRole::none)
        throw InputError(SourceLocation{path},
                         "an OFAC companion file (add/alt/comments) is read with its sdn.csv or "
                         "cons_prim.csv, not alone");
    MappedFile file(path, options.max_file_bytes);
    LoadedList out;
    out.info.file = path;
    out.info.size_bytes = file.view().size();
    out.info.sha256 = sha256_hex(file.view());
    out.info.format = options.format ? *options.format : detect_format(file.view(), path);
    out.info.source = source_of(out.info.format, path);
    switch (out.info.format) {
        case ListFormat::ofac_csv: {
            OfacCsvInput in;
            in.main = file.view();
            in.main_name = path;
            std::vector<std::string> companions = options.companions;
            if (companions.empty()) {
                // beside the main file: sdn.csv -> add.csv, alt.csv, sdn_comments.csv; cons_prim -> cons_*
                const std::filesystem::path dir = std::filesystem::path(path).parent_path();
                const bool cons = lower(file_name(path)).find("cons") != std::string::npos;
                static constexpr std::array<const char*, 3> kSdnCompanions = {"add.csv", "alt.csv",
                                                                              "sdn_comments.csv"};
                static constexpr std::array<const char*, 3> kConsCompanions = {"cons_add.csv", "cons_alt.csv",
                                                                               "cons_comments.csv"};
                for (const char* n : cons ? kConsCompanions : kSdnCompanions) {
                    const auto p = dir / n;
                    if (std::filesystem::exists(p)) companions.push_back(p.string());
                }
            }
            std::vector<std::unique_ptr<MappedFile>> maps;
            for (const auto& c : companions) {
                maps.push_back(std::make_unique<MappedFile>(c, options.max_file_bytes));
                switch (companion_role(c)) {
                    case CompanionRole::add:
                        in.add = maps.back()->view();
                        in.add_name = c;
                        break;
                    case CompanionRole::alt:
                        in.alt = maps.back()->view();
                        in.alt_name = c;
                        break;
                    case CompanionRole::comments:
                        in.comments = maps.back()->view();
                        in.comments_name = c;
                        break;
                    case CompanionRole::none:
                        throw InputError(SourceLocation{c},
                                         "not an OFAC companion file name (add.csv, alt.csv, "
                                         "sdn_comments.csv, cons_add.csv, cons_alt.csv, cons_comments.csv)");
                }
                out.info.companion_files.push_back(c);
            }
            parse_ofac_csv(in, out);
            out.info.publication_date = date_in_name(file_name(path));
            break;
        }
        case ListFormat::ofac_xml:
            parse_ofac_xml(file.view(), path, out, options.max_xml_depth);
            break;
        case ListFormat::un_xml:
            parse_un_xml(file.view(), path, out, options.max_xml_depth);
            break;
        case ListFormat::uk_xml:
            parse_uk_xml(file.view(), path, out, options.max_xml_depth);
            break;
        case ListFormat::eu_xml:
            parse_eu_xml(file.view(), path, out, options.max_xml_depth);
            break;
        case ListFormat::uk_csv:
            parse_uk_csv(file.view(), path, out);
            break;
        case ListFormat::ftm_json:
            parse_ftm_json(file.view(), path, out);
            out.info.publication_date = date_in_name(file_name(path));
            break;
    }
    return out;
}

}  // namespace vw::screen
