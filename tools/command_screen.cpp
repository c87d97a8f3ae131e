// vesselwatch screen: one query (--name, --imo, ...) or a batch CSV of queries against the active lists of
// a project database. Thin adapter over vw::screen::Screener.
#include "command_screen.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "vesselwatch/screen/csv_records.hpp"
#include "vesselwatch/screen/output.hpp"
#include "vesselwatch/screen/store.hpp"
#include "vesselwatch/util/error.hpp"
#include "vesselwatch/util/output.hpp"
#include "vesselwatch/util/sqlite.hpp"
#include "vesselwatch/util/text.hpp"

namespace vw::cli {

namespace {

enum class Format : std::uint8_t { text, ndjson, csv };

double parse_unit(const std::string& option, const std::string& v) {
    char* end = nullptr;
    const double d = std::strtod(v.c_str(), &end);
    if (end == v.c_str() || *end != '\0' || d < 0 || d > 1)
        throw ConfigError("option --" + option + ": '" + v + "' is not a number from 0 to 1");
    return d;
}

screen::QueryType parse_type(const std::string& v) {
    auto t = screen::query_type_from_string(v);
    if (!t) throw ConfigError("option --type: '" + v + "' is not one of vessel, company, person, any");
    return *t;
}

void write_text(OutBuffer& out, const screen::Query& q, const std::vector<screen::Match>& ms,
                const screen::Screener& s, double threshold) {
    std::string h = "query: " + (q.name.empty() ? std::string("(identifiers only)") : "'" + q.name + "'") +
                    " type " + std::string(screen::to_string(q.type));
    if (!q.imo.empty()) h += " imo " + q.imo;
    if (!q.mmsi.empty()) h += " mmsi " + q.mmsi;
    if (!q.call_sign.empty()) h += " call sign " + q.call_sign;
    if (!q.country.empty()) h += " country " + q.country;
    out.write(utf8_replacing(h + "\n"));  // names from list files and queries: any bytes
    if (ms.empty()) out.write("  no match\n");
    char buf[64];
    for (std::size_t i = 0; i < ms.size(); ++i) {
        const auto& m = ms[i];
        const auto& e = s.entity(m.entity);
        const auto& l = s.list_of(m.entity);
        std::snprintf(buf, sizeof buf, "%zu. %.3f %s ", i + 1, m.score,
                      m.score >= threshold ? "MATCH" : "weak ");
        std::string line = std::string("  ") + buf + l.info.source + " " + e.source_id + " " +
                           std::string(screen::to_string(e.schema)) + " '" + e.caption() + "'";
        std::string programs;
        for (const auto& p : e.programs) programs += (programs.empty() ? "" : ", ") + p;
        if (!programs.empty()) line += " [" + programs + "]";
        line += "\n     " + m.explanation() + "\n";
        line += "     list: " + l.info.file + " (published " +
                (l.info.publication_date.empty() ? std::string("?") : l.info.publication_date) + ", sha256 " +
                l.info.sha256.substr(0, 12) + ")\n";
        out.write(utf8_replacing(line));
    }
}

}  // namespace

CommandSpec screen_spec() {
    CommandSpec s;
    s.name = "screen";
    s.summary = "match names, IMO, MMSI and call signs against the imported sanctions lists";
    s.synopsis =
        "vesselwatch screen DB --name NAME [--type vessel|company|person] [--imo N] [--mmsi N]\n"
        "                       [--call-sign CS] [--country C] [--top K] [--format text|ndjson|csv]\n"
        "    vesselwatch screen DB --batch QUERIES.csv [--format csv|ndjson] [-o FILE]";
    s.description =
        "    Screens against the active lists of the project database DB (see 'vesselwatch lists import').\n"
        "    Vessels match by IMO number (normalised, check digit verified), MMSI, call sign and name\n"
        "    (prefixes such as MV, M/V, MT dropped; numbers in names must agree: SPARTA III is not SPARTA\n"
        "    IV; former names count). Companies and persons match by name: any script is transliterated to\n"
        "    Latin (ICU), word order does not matter, legal forms are normalised (LLC = OOO = Limited\n"
        "    Liability Company, JSC = AO = PAO, Ltd = Limited, ...), aliases and initials count.\n\n"
        "    Each match has a score in [0, 1] and an explanation per feature: which list name matched\n"
        "    (primary, alias, weak alias, former) and how its words aligned, and the identifiers that agree\n"
        "    or differ. A score at or above the threshold (default 0.80, docs/screening.md) is reported as\n"
        "    a MATCH; lower ones down to --min-score as weak. Every result names its list, publication date\n"
        "    and sha256.\n\n"
        "    --batch reads a CSV file with a header naming any of: id, name, type, imo, mmsi, call_sign,\n"
        "    country, and writes the top matches of every query as CSV (default) or NDJSON rows; a query\n"
        "    without a match gets one row with rank 0.\n";
    s.options = {
        {"name", 'n', Arity::value, "NAME", "The name to screen (any script)."},
        {"type", 't', Arity::value, "TYPE",
         "vessel, company (companies and organisations), person or any (default)."},
        {"imo", 0, Arity::value, "N", "IMO number (\"9179842\" or \"IMO 9179842\")."},
        {"mmsi", 0, Arity::value, "N", "MMSI (9 digits)."},
        {"call-sign", 0, Arity::value, "CS", "Radio call sign."},
        {"country", 0, Arity::value, "C", "Flag, nationality or jurisdiction: name or ISO code."},
        {"batch", 'b', Arity::value, "FILE", "Screen every row of this CSV file ('-' for standard input)."},
        {"top", 'k', Arity::value, "K", "Matches per query (default 5)."},
        {"min-score", 0, Arity::value, "S", "Do not report matches below S (default 0.5)."},
        {"threshold", 0, Arity::value, "T", "Score from which a match is reported as MATCH (default 0.80)."},
        {"format", 'f', Arity::value, "FORMAT",
         "text (default for one query), csv (default for --batch) or ndjson."},
        {"output", 'o', Arity::value, "FILE", "Write to FILE instead of standard output."},
        {"all-lists", 0, Arity::flag, "", "Also screen lists replaced by a newer import of their source."},
        {"quiet", 'q', Arity::flag, "", "No summary on stderr (batch)."},
    };
    s.examples =
        "    vesselwatch screen case.vw --name 'M/V Angara' --type vessel\n"
        "    vesselwatch screen case.vw --imo 9161003 --format ndjson\n"
        "    vesselwatch screen case.vw --name 'OOO Transmorflot' --type company\n"
        "    vesselwatch screen case.vw --batch counterparties.csv -o matches.csv\n";
    s.exit_status =
        "    0  done, whether or not anything matched\n"
        "    1  the database or the batch file could not be read, or a batch row is malformed\n"
        "    2  bad arguments\n"
        "    3  writing the output failed\n"
        "    4  internal error\n";
    return s;
}

Exit screen_run(const ParsedArgs& args) {
    const auto& pos = args.positional();
    if (pos.size() != 1)
        throw ConfigError("screen: usage: vesselwatch screen DB --name NAME | --batch FILE (see --help)");
    screen::ScreenOptions opt;
    double threshold = screen::kDefaultMatchThreshold;
    if (auto v = args.value("threshold")) threshold = parse_unit("threshold", *v);
    if (auto v = args.value("min-score")) opt.min_score = parse_unit("min-score", *v);
    if (auto v = args.value("top")) {
        char* end = nullptr;
        const long k = std::strtol(v->c_str(), &end, 10);
        if (end == v->c_str() || *end != '\0' || k < 1 || k > 1000)
            throw ConfigError("option --top: '" + *v + "' is not 1 to 1000");
        opt.top_k = static_cast<std::size_t>(k);
    }
    const bool batch = args.has("batch");
    Format format = batch ? Format::csv : Format::text;
    if (auto f = args.value("format")) {
        if (*f == "text" && !batch)
            format = Format::text;
        else if (*f == "ndjson" || *f == "json")
            format = Format::ndjson;
        else if (*f == "csv")
            format = Format::csv;
        else
            throw ConfigError("option --format: '" + *f + "' is not one of " +
                              (batch ? "csv, ndjson" : "text, csv, ndjson"));
    }
    std::vector<std::pair<std::string, screen::Query>> queries;
    if (batch) {
        for (const char* o : {"name", "imo", "mmsi", "call-sign", "country", "type"})
            if (args.has(o))
                throw ConfigError(std::string("option --") + o +
                                  " does not go with --batch (put it in the CSV)");
        const std::string path = *args.value("batch");
        std::string data;
        if (path == "-") {
            std::ostringstream ss;
            ss << std::cin.rdbuf();
            data = ss.str();
        } else {
            std::ifstream in(path, std::ios::binary);
            if (!in) throw IoError(SourceLocation{path}, "cannot open");
            std::ostringstream ss;
            ss << in.rdbuf();
            data = ss.str();
        }
        screen::CsvRecords rows(data);
        std::vector<std::string> header, f;
        if (rows.next(header) != screen::CsvRecords::Status::record)
            throw InputError(SourceLocation{path, 1},
                             "no CSV header (columns: id, name, type, imo, mmsi, call_sign, country)");
        std::map<std::string, std::size_t> col;
        for (std::size_t i = 0; i < header.size(); ++i) {
            std::string h = header[i];
            for (char& c : h) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            if (h == "callsign" || h == "call sign") h = "call_sign";
            col[h] = i;
        }
        if (col.count("name") == 0 && col.count("imo") == 0 && col.count("mmsi") == 0)
            throw InputError(SourceLocation{path, 1}, "the header names none of the columns name, imo, mmsi");
        for (;;) {
            const auto st = rows.next(f);
            if (st == screen::CsvRecords::Status::end) break;
            if (st == screen::CsvRecords::Status::bad)
                throw InputError(SourceLocation{path, rows.line()}, rows.error());
            if (f.size() != header.size())
                throw InputError(SourceLocation{path, rows.line()},
                                 "expected " + std::to_string(header.size()) + " columns, found " +
                                     std::to_string(f.size()));
            const auto get = [&](const char* c) { return col.count(c) != 0 ? f[col[c]] : std::string(); };
            screen::Query q;
            q.name = get("name");
            if (const std::string t = get("type"); !t.empty()) {
                auto qt = screen::query_type_from_string(t);
                if (!qt)
                    throw InputError(SourceLocation{path, rows.line()},
                                     "type '" + t + "' is not vessel, company, person or any");
                q.type = *qt;
            }
            q.imo = get("imo");
            q.mmsi = get("mmsi");
            q.call_sign = get("call_sign");
            q.country = get("country");
            std::string id = get("id");
            if (id.empty()) id = std::to_string(rows.line());
            queries.emplace_back(std::move(id), std::move(q));
        }
    } else {
        screen::Query q;
        q.name = args.value("name").value_or("");
        if (auto t = args.value("type")) q.type = parse_type(*t);
        q.imo = args.value("imo").value_or("");
        q.mmsi = args.value("mmsi").value_or("");
        q.call_sign = args.value("call-sign").value_or("");
        q.country = args.value("country").value_or("");
        if (q.name.empty() && q.imo.empty() && q.mmsi.empty() && q.call_sign.empty())
            throw ConfigError("screen: give --name, --imo, --mmsi or --call-sign (or --batch FILE)");
        queries.emplace_back("1", std::move(q));
    }

    if (!std::filesystem::exists(pos[0])) throw IoError(SourceLocation{pos[0]}, "no such project database");
    db::Database db(pos[0], db::OpenMode::read_write);
    screen::ListStore store(db);
    const screen::StoreScreener ss = store.screener(!args.has("all-lists"));
    if (ss.screener.size() == 0)
        std::fprintf(stderr,
                     "vesselwatch screen: %s holds no sanctions list (vesselwatch lists import %s FILE...)\n",
                     pos[0].c_str(), pos[0].c_str());

    int fd = 1;
    std::string out_name = "<stdout>";
    if (auto o = args.value("output"); o && *o != "-") {
        fd = ::open(o->c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0) throw OutputError(SourceLocation{*o}, "cannot open for writing");
        out_name = *o;
    }
    OutBuffer out(fd, out_name);
    if (format == Format::csv) out.write(screen::match_csv_header());
    std::uint64_t matched = 0;
    for (const auto& [id, q] : queries) {
        const auto ms = ss.screener.screen(q, opt);
        if (!ms.empty() && ms.front().score >= threshold) ++matched;
        switch (format) {
            case Format::text:
                write_text(out, q, ms, ss.screener, threshold);
                break;
            case Format::ndjson:
                if (ms.empty()) screen::write_no_match_ndjson(out, id, q);
                for (std::size_t i = 0; i < ms.size(); ++i)
                    screen::write_match_ndjson(out, id, q, i + 1, ms[i], ss.screener, threshold);
                break;
            case Format::csv:
                if (ms.empty()) screen::write_no_match_csv(out, id, q);
                for (std::size_t i = 0; i < ms.size(); ++i)
                    screen::write_match_csv(out, id, q, i + 1, ms[i], ss.screener, threshold);
                break;
        }
    }
    out.flush();
    if (fd != 1) ::close(fd);
    if (batch && !args.has("quiet"))
        std::fprintf(stderr,
                     "screen: %zu queries, %llu with a match at or above %.2f, against %zu entities\n",
                     queries.size(), static_cast<unsigned long long>(matched), threshold, ss.screener.size());
    return Exit::ok;
}

}  // namespace vw::cli
