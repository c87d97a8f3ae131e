// vesselwatch raw: a stored record's reference (SOURCE:LINE) -> the original input lines, verified
// against the sha256 recorded at ingest.
#include "command_raw.hpp"

#include <charconv>
#include <cstdio>
#include <filesystem>

#include "vesselwatch/io/input.hpp"
#include "vesselwatch/io/line_reader.hpp"
#include "vesselwatch/util/sha256.hpp"
#include "vesselwatch/track/store.hpp"
#include "vesselwatch/util/error.hpp"
#include "vesselwatch/util/output.hpp"

namespace vw::cli {

namespace {

struct RawRef {
    std::uint32_t source = 0;
    std::uint64_t first = 0, last = 0;
};

std::optional<std::uint64_t> number(std::string_view s) {
    std::uint64_t v = 0;
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size() || s.empty()) return std::nullopt;
    return v;
}

/// "3:120", "3:120-125", "3:120+121" (as --with-source writes multi-part references).
RawRef parse_ref(const std::string& text) {
    const auto bad = [&] {
        return ConfigError("'" + text + "' is not a reference SOURCE:LINE[-LINE] (e.g. 3:120 or 3:120-125)");
    };
    const auto colon = text.find(':');
    if (colon == std::string::npos) throw bad();
    RawRef r;
    const auto src = number(std::string_view(text).substr(0, colon));
    if (!src || *src == 0) throw bad();
    r.source = static_cast<std::uint32_t>(*src);
    std::string_view lines = std::string_view(text).substr(colon + 1);
    const auto sep = lines.find_first_of("-+");
    const auto a = number(lines.substr(0, sep));
    if (!a || *a == 0) throw bad();
    r.first = r.last = *a;
    if (sep != std::string_view::npos) {
        std::string_view rest = lines.substr(sep + 1);
        const auto last_sep = rest.find_last_of("-+");
        const auto b = number(last_sep == std::string_view::npos ? rest : rest.substr(last_sep + 1));
        if (!b || *b < *a) throw bad();
        r.last = *b;
    }
    return r;
}

}  // namespace

CommandSpec raw_spec() {
    CommandSpec s;
    s.name = "raw";
    s.summary = "print the original input lines a stored record came from";
    s.synopsis = "vesselwatch raw [OPTIONS] DB SOURCE:LINE[-LINE]...";
    s.description =
        "    Every stored position and identity record keeps a reference SOURCE:LINE to the raw input\n"
        "    (shown by 'vesselwatch track --with-source', 'vessels' and 'info'). raw finds the source file\n"
        "    again (by the absolute path recorded at ingest, else the path as given), checks that its\n"
        "    sha256 is still the one recorded, and prints the lines exactly as they are in the file\n"
        "    (decompressed, for compressed files and archive entries).\n\n"
        "    A source file that is missing or has changed since ingest is reported and nothing is\n"
        "    printed (exit 1); --unverified prints the lines of a changed file anyway, with a warning.\n"
        "    Rows of decoded dumps (CSV, JSON) are referenced by their line like NMEA sentences; a CSV\n"
        "    record spanning lines (quoted line ends) is printed whole. Input ingested from standard\n"
        "    input ('-') cannot be read again: raw says so (exit 1).\n";
    s.options = {
        {"number", 'n', Arity::flag, "", "Prefix each line with SOURCE:LINE and a tab."},
        {"unverified", 0, Arity::flag, "", "Print even when the file changed since ingest (warned on stderr)."},
    };
    s.examples =
        "    vesselwatch raw case.vw 3:1045\n"
        "    vesselwatch raw case.vw 3:1045-1046 -n\n"
        "    vesselwatch track case.vw --mmsi 273444660 --with-source -f csv | tail -1   # ...,3:1045\n";
    s.exit_status =
        "    0   the lines were printed, from a file whose sha256 matches\n"
        "    1   the source file is missing, unreadable or changed since ingest, or a line is not in it\n"
        "    2   usage error (bad reference, unknown source id)\n";
    return s;
}

Exit raw_run(const ParsedArgs& args) {
    const auto& pos = args.positional();
    if (pos.size() < 2) throw ConfigError("raw needs DB and at least one SOURCE:LINE reference");
    track::Store store(pos[0], track::Access::read_only);
    OutBuffer out(1);
    const bool numbered = args.has("number");
    Exit exit = Exit::ok;
    for (std::size_t k = 1; k < pos.size(); ++k) {
        const RawRef ref = parse_ref(pos[k]);
        const auto src = store.source(ref.source);
        if (!src) throw ConfigError("source " + std::to_string(ref.source) + " is not in " + store.path() + " (see vesselwatch info)");
        const auto file = store.file(src->file_id);
        if (!file) throw IoError(SourceLocation{store.path()}, "source " + std::to_string(ref.source) + " has no file record");
        if (file->path == io::kStdinArgument) {
            std::fprintf(stderr,
                         "raw: source %u was read from standard input: its lines cannot be read again (recorded "
                         "sha256 %s, %llu bytes); keep a stream in a file before ingesting it to verify it later\n",
                         ref.source, file->sha256.c_str(), static_cast<unsigned long long>(file->size));
            exit = Exit::input_error;
            continue;
        }
        std::string path;
        std::error_code ec;
        for (const auto& candidate : {file->abs_path, file->path})
            if (path.empty() && std::filesystem::is_regular_file(candidate, ec)) path = candidate;
        if (path.empty()) {
            std::fprintf(stderr, "raw: source %u: file not at hand: %s (recorded sha256 %s); cannot show lines\n",
                         ref.source, file->abs_path.c_str(), file->sha256.c_str());
            exit = Exit::input_error;
            continue;
        }
        const vw::FileDigest now = vw::digest_file(path);
        if (vw::to_hex(now.sha256) != file->sha256) {
            std::fprintf(stderr,
                         "raw: source %u: %s CHANGED since ingest: sha256 now %s (%llu bytes), recorded %s (%llu bytes)\n",
                         ref.source, path.c_str(), vw::to_hex(now.sha256).c_str(),
                         static_cast<unsigned long long>(now.size), file->sha256.c_str(),
                         static_cast<unsigned long long>(file->size));
            exit = Exit::input_error;
            if (!args.has("unverified")) continue;
            std::fprintf(stderr, "raw: --unverified: printing lines of the changed file\n");
        }
        io::InputWalker walker({path});
        const std::string want = path + src->entry;
        bool found_source = false;
        std::uint64_t printed = 0;
        while (io::Source* s = walker.next()) {
            if (s->name != want) continue;
            found_source = true;
            io::LineReader reader(*s->bytes);
            io::Line line;
            while (reader.next(line) && line.number <= ref.last) {
                if (line.number < ref.first) continue;
                if (numbered) out.write(std::to_string(ref.source) + ":" + std::to_string(line.number) + "\t");
                out.write(line.text);
                out.put('\n');
                ++printed;
            }
            break;
        }
        if (!found_source) {
            std::fprintf(stderr, "raw: source %u: entry '%s' not found in %s\n", ref.source, src->entry.c_str(), path.c_str());
            exit = Exit::input_error;
        } else if (printed == 0) {
            std::fprintf(stderr, "raw: source %u: no line %llu-%llu in %s\n", ref.source,
                         static_cast<unsigned long long>(ref.first), static_cast<unsigned long long>(ref.last), want.c_str());
            exit = Exit::input_error;
        }
    }
    out.flush();
    return exit;
}

}  // namespace vw::cli
