// vesselwatch lists: import | show | diff | fetch. Thin adapter over vw::screen (loaders, store, diff,
// fetch); the sub-verb is the first positional argument.
#include "command_lists.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

#include "vesselwatch/screen/diff.hpp"
#include "vesselwatch/screen/fetch.hpp"
#include "vesselwatch/screen/loaders.hpp"
#include "vesselwatch/screen/output.hpp"
#include "vesselwatch/screen/store.hpp"
#include "vesselwatch/screen/store_screening.hpp"
#include "vesselwatch/track/store.hpp"
#include "vesselwatch/util/error.hpp"
#include "vesselwatch/util/output.hpp"
#include "vesselwatch/util/sqlite.hpp"
#include "vesselwatch/util/text.hpp"

namespace vw::cli {

namespace {

using screen::LoadedList;

std::string short_sha(const std::string& s) {
    return s.substr(0, 12);
}

std::string report_line(const LoadedList& l) {
    const auto& r = l.report;
    std::string s =
        std::to_string(l.entities.size()) + " entities from " + std::to_string(r.records) + " records";
    if (r.skipped > 0) s += ", " + std::to_string(r.skipped) + " malformed records skipped";
    if (r.orphans > 0) s += ", " + std::to_string(r.orphans) + " orphan companion rows";
    if (r.without_companion > 0)
        s += ", " + std::to_string(r.without_companion) + " entities without an address row";
    if (r.not_screened > 0) s += ", " + std::to_string(r.not_screened) + " records of schemas not screened";
    return s;
}

std::string stats_json(const LoadedList& l, std::int64_t list_id, bool already) {
    std::string j = "{\"list_id\":" + std::to_string(list_id) +
                    ",\"already_present\":" + (already ? "true" : "false") + ",\"format\":";
    screen::append_json_string(j, screen::to_string(l.info.format));
    j += ",\"source\":";
    screen::append_json_string(j, l.info.source);
    j += ",\"file\":";
    screen::append_json_string(j, l.info.file);
    j += ",\"publication_date\":";
    screen::append_json_string(j, l.info.publication_date);
    j += ",\"sha256\":\"" + l.info.sha256 + "\"";
    const auto& r = l.report;
    j += ",\"records\":" + std::to_string(r.records) + ",\"entities\":" + std::to_string(l.entities.size()) +
         ",\"skipped\":" + std::to_string(r.skipped) + ",\"orphans\":" + std::to_string(r.orphans) +
         ",\"without_companion\":" + std::to_string(r.without_companion) +
         ",\"not_screened\":" + std::to_string(r.not_screened) + ",\"notes\":[";
    for (std::size_t i = 0; i < r.notes.size(); ++i) {
        if (i > 0) j.push_back(',');
        screen::append_json_string(j, r.notes[i]);
    }
    j += "]}\n";
    return j;
}

// Groups the files of one command line: OFAC companions (add.csv, alt.csv, *comments.csv) go with the
// OFAC CSV main file of the same command (sdn.csv with add/alt/sdn_comments; cons_prim with cons_*).
struct ImportJob {
    std::string path;
    std::vector<std::string> companions;
};

std::vector<ImportJob> group_files(const std::vector<std::string>& files) {
    std::vector<ImportJob> jobs;
    std::vector<std::string> companions;
    for (const auto& f : files) {
        if (screen::is_ofac_companion_name(f))
            companions.push_back(f);
        else
            jobs.push_back(ImportJob{f, {}});
    }
    for (const auto& c : companions) {
        const bool cons = std::filesystem::path(c).filename().string().rfind("cons_", 0) == 0;
        ImportJob* target = nullptr;
        for (auto& j : jobs) {
            const std::string n = std::filesystem::path(j.path).filename().string();
            const bool main_cons = n.find("cons") != std::string::npos;
            if (n.size() > 4 && n.substr(n.size() - 4) == ".csv" && main_cons == cons) target = &j;
        }
        if (target == nullptr)
            throw ConfigError("lists import: " + c + " is an OFAC companion file but no " +
                              (cons ? "cons_prim.csv" : "sdn.csv") + " is given with it");
        target->companions.push_back(c);
    }
    return jobs;
}

std::optional<screen::ListFormat> format_option(const ParsedArgs& args) {
    auto f = args.value("list-format");
    if (!f) return std::nullopt;
    auto v = screen::list_format_from_string(*f);
    if (!v)
        throw ConfigError("option --list-format: '" + *f +
                          "' is not one of ofac-csv, ofac-xml, un-xml, uk-xml, uk-csv, eu-xml, ftm-json");
    return v;
}

/// Whether the database holds the track store (vesselwatch ingest has run on it).
bool has_tracks(db::Database& db) {
    auto st = db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'track_chunks'");
    return st.step() && st.int64(0) > 0;
}

Exit run_import(const ParsedArgs& args, const std::vector<std::string>& pos) {
    if (pos.size() < 3)
        throw ConfigError("lists import: usage: vesselwatch lists import DB FILE... (see --help)");
    db::Database db(pos[1], db::OpenMode::read_write_create);
    screen::ListStore store(db);
    const auto jobs = group_files(std::vector<std::string>(pos.begin() + 2, pos.end()));
    const bool quiet = args.has("quiet");
    Exit status = Exit::ok;
    for (const auto& job : jobs) {
        screen::LoadOptions opt;
        opt.format = format_option(args);
        opt.companions = job.companions;
        LoadedList list;
        try {
            list = screen::load_list(job.path, opt);
        } catch (const InputError& e) {
            std::fprintf(stderr, "vesselwatch lists import: %s\n", e.what());
            status = Exit::input_error;
            continue;
        } catch (const IoError& e) {
            std::fprintf(stderr, "vesselwatch lists import: %s\n", e.what());
            status = Exit::input_error;
            continue;
        }
        const auto r = store.import(list);
        if (args.has("stats")) std::fputs(stats_json(list, r.list_id, r.already_present).c_str(), stdout);
        if (!quiet) {
            std::fprintf(stderr, "%s list %lld: %s %s (published %s, sha256 %s): %s%s\n",
                         r.already_present ? "already imported as" : "imported",
                         static_cast<long long>(r.list_id), list.info.source.c_str(), job.path.c_str(),
                         list.info.publication_date.empty() ? "?" : list.info.publication_date.c_str(),
                         short_sha(list.info.sha256).c_str(), report_line(list).c_str(),
                         r.deactivated > 0 ? "; replaces the previous list of this source" : "");
            for (const auto& n : list.report.notes) std::fprintf(stderr, "  %s\n", n.c_str());
            if (list.report.notes.size() == screen::LoadReport::kMaxNotes)
                std::fprintf(stderr, "  (first %zu notes shown; the counts above are complete)\n",
                             list.report.notes.size());
        }
        if (args.has("strict") && (list.report.skipped > 0 || list.report.orphans > 0))
            status = Exit::input_error;
    }
    // every vessel of the project's track store, against the lists now active
    if (!args.has("no-screen") && has_tracks(db)) {
        track::Store tracks(pos[1], track::Access::read_only);
        const auto rep = screen::screen_store_vessels(tracks, store, screen::VesselSelection::all);
        if (!quiet && rep.lists_present)
            std::fprintf(
                stderr,
                "screened %zu vessels of the track store against %zu lists (%zu entities): %zu matched, "
                "%zu matches stored, %.2f s\n",
                rep.vessels, rep.lists, rep.entities, rep.vessels_matched, rep.matches, rep.seconds);
    }
    return status;
}

Exit run_show(const ParsedArgs& args, const std::vector<std::string>& pos) {
    if (pos.size() != 2)
        throw ConfigError("lists show: usage: vesselwatch lists show DB [--entities ID] (see --help)");
    if (!std::filesystem::exists(pos[1])) throw IoError(SourceLocation{pos[1]}, "no such project database");
    db::Database db(pos[1], db::OpenMode::read_write);
    screen::ListStore store(db);
    OutBuffer out(1);
    if (auto id = args.value("entities")) {
        char* end = nullptr;
        const long long list_id = std::strtoll(id->c_str(), &end, 10);
        if (end == id->c_str() || *end != '\0')
            throw ConfigError("option --entities: '" + *id + "' is not a list id");
        std::string j;
        for (const auto& e : store.entities(list_id)) {
            j.clear();
            screen::append_entity_json(j, e);
            j.push_back('\n');
            out.write(j);
        }
        out.flush();
        return Exit::ok;
    }
    const bool json = args.value("format").value_or("text") == "ndjson";
    if (!json)
        out.write(
            "id\tactive\tsource\tformat\tpublished\tentities\tskipped\torphans\tsha256\timported\tfile\n");
    for (const auto& l : store.lists()) {
        if (json) {
            std::string j = "{\"list_id\":" + std::to_string(l.id) +
                            ",\"active\":" + (l.active ? "true" : "false") + ",\"source\":";
            screen::append_json_string(j, l.info.source);
            j += ",\"format\":";
            screen::append_json_string(j, screen::to_string(l.info.format));
            j += ",\"publication_date\":";
            screen::append_json_string(j, l.info.publication_date);
            j += ",\"entities\":" + std::to_string(l.report.entities) +
                 ",\"skipped\":" + std::to_string(l.report.skipped) +
                 ",\"orphans\":" + std::to_string(l.report.orphans) + ",\"sha256\":\"" + l.info.sha256 +
                 "\",\"imported_at\":";
            screen::append_json_string(j, l.imported_at);
            j += ",\"file\":";
            screen::append_json_string(j, l.info.file);
            j += "}\n";
            out.write(j);
        } else {
            out.write(utf8_replacing(std::to_string(l.id) + "\t" + (l.active ? "yes" : "no") + "\t" + l.info.source + "\t" +
                      std::string(screen::to_string(l.info.format)) + "\t" +
                      (l.info.publication_date.empty() ? "?" : l.info.publication_date) + "\t" +
                      std::to_string(l.report.entities) + "\t" + std::to_string(l.report.skipped) + "\t" +
                      std::to_string(l.report.orphans) + "\t" + short_sha(l.info.sha256) + "\t" +
                      l.imported_at + "\t" + l.info.file + "\n"));
        }
    }
    out.flush();
    return Exit::ok;
}

Exit run_diff(const ParsedArgs& args, const std::vector<std::string>& pos) {
    if (pos.size() != 3) throw ConfigError("lists diff: usage: vesselwatch lists diff OLD NEW (see --help)");
    screen::LoadOptions opt;
    opt.format = format_option(args);
    const LoadedList before = screen::load_list(pos[1], opt);
    const LoadedList after = screen::load_list(pos[2], opt);
    if (before.info.format != after.info.format)
        std::fprintf(
            stderr,
            "vesselwatch lists diff: note: %s is %s, %s is %s; ids of different formats rarely agree\n",
            pos[1].c_str(), std::string(screen::to_string(before.info.format)).c_str(), pos[2].c_str(),
            std::string(screen::to_string(after.info.format)).c_str());
    const screen::ListDiff d = screen::diff_lists(before.entities, after.entities);
    OutBuffer out(1);
    if (args.value("format").value_or("text") == "ndjson")
        screen::write_diff_ndjson(out, d);
    else
        screen::write_diff_text(out, d);
    out.flush();
    if (!args.has("quiet"))
        std::fprintf(stderr, "lists diff: %zu added, %zu removed, %zu changed, %zu unchanged\n",
                     d.added.size(), d.removed.size(), d.changed.size(), d.unchanged);
    return Exit::ok;
}

Exit run_fetch(const ParsedArgs& args, const std::vector<std::string>& pos) {
    if (pos.size() != 1) throw ConfigError("lists fetch: takes no arguments besides options (see --help)");
    std::vector<screen::FetchSource> sources = screen::default_fetch_sources();
    std::vector<std::string> overrides = args.values("url");
    if (auto cfg = args.value("config")) {
        std::ifstream in(*cfg);
        if (!in) throw IoError(SourceLocation{*cfg}, "cannot open");
        std::string line;
        while (std::getline(in, line)) {
            if (line.empty() || line[0] == '#') continue;
            overrides.insert(overrides.begin(), line);  // command-line --url wins over the file
        }
    }
    for (const auto& o : overrides) {
        const auto eq = o.find('=');
        if (eq == std::string::npos || eq == 0)
            throw ConfigError("option --url: '" + o + "' is not NAME=URL");
        const std::string name = o.substr(0, eq), url = o.substr(eq + 1);
        bool found = false;
        for (auto& s : sources)
            if (s.name == name) {
                s.url = url;
                found = true;
            }
        if (!found) {
            std::string file = url.substr(url.find_last_of('/') + 1);
            if (auto q = file.find('?'); q != std::string::npos) file.resize(q);
            if (file.empty()) file = name;
            sources.push_back(screen::FetchSource{name, url, file});
        }
    }
    std::vector<std::string> wanted = args.values("source");
    if (!wanted.empty()) {
        std::vector<screen::FetchSource> keep;
        for (const auto& w : wanted) {
            bool found = false;
            for (const auto& s : sources)
                if (s.name == w || (w == "ofac" && s.name.rfind("ofac-", 0) == 0)) {
                    keep.push_back(s);
                    found = true;
                }
            if (!found)
                throw ConfigError("option --source: no source named '" + w +
                                  "' (see vesselwatch lists --help)");
        }
        sources = keep;
    }
    const std::string dir = args.value("dir").value_or(".");
    std::filesystem::create_directories(dir);
    screen::FetchOptions fo;
    if (auto t = args.value("timeout")) fo.timeout_seconds = std::stol(*t);
    std::vector<std::string> fetched;
    Exit status = Exit::ok;
    for (const auto& s : sources) {
        const std::string path = (std::filesystem::path(dir) / s.file_name).string();
        try {
            const auto r = screen::fetch_to_file(s.url, path, fo);
            std::fprintf(stderr, "fetched %s: %s -> %s (%llu bytes, sha256 %s)\n", s.name.c_str(),
                         s.url.c_str(), path.c_str(), static_cast<unsigned long long>(r.bytes),
                         short_sha(r.sha256).c_str());
            fetched.push_back(path);
        } catch (const IoError& e) {
            std::fprintf(stderr, "vesselwatch lists fetch: %s: %s\n", s.name.c_str(), e.what());
            status = Exit::input_error;
        }
    }
    if (auto db = args.value("import"); db && !fetched.empty()) {
        std::vector<std::string> p = {"import", *db};
        p.insert(p.end(), fetched.begin(), fetched.end());
        const Exit e = run_import(args, p);
        if (e != Exit::ok) status = e;
    }
    return status;
}

}  // namespace

CommandSpec lists_spec() {
    CommandSpec s;
    s.name = "lists";
    s.summary = "import, show, compare and download sanctions lists";
    s.synopsis =
        "vesselwatch lists import DB FILE... [--list-format F] [--strict] [--stats] [--no-screen] [--quiet]\n"
        "    vesselwatch lists show DB [--format text|ndjson] [--entities LIST_ID]\n"
        "    vesselwatch lists diff OLD NEW [--format text|ndjson]\n"
        "    vesselwatch lists fetch [--dir DIR] [--source NAME]... [--url NAME=URL]... [--config FILE] "
        "[--import DB]";
    s.description =
        "    Sanctions lists tie what AIS shows to designations. 'lists' loads them into one entity model\n"
        "    (schema, names, aliases, former names, identifiers such as IMO, MMSI and call sign, countries,\n"
        "    programs, links) kept in the project database DB (e.g. case.vw) with each list's provenance:\n"
        "    source, publication date and the sha256 of the file.\n\n"
        "    import DB FILE...\n"
        "        Loads each FILE, its format detected from the content: OFAC SDN CSV (sdn.csv, or\n"
        "        cons_prim.csv of the consolidated non-SDN list) with its companions add.csv, alt.csv and\n"
        "        sdn_comments.csv (cons_add/cons_alt/cons_comments) when given in the same command or found\n"
        "        beside it; OFAC XML (sdn.xml, consolidated.xml); UN Security Council consolidated XML; UK\n"
        "        Sanctions List XML; EU Financial Sanctions Files XML; OpenSanctions FollowTheMoney JSON\n"
        "        lines. A newer import of the same source replaces the older one for screening (both stay\n"
        "        stored); the same file imported twice is recognised by its sha256 and not stored again.\n"
        "        Malformed files stop with file, line, element and cause; formats whose records stand alone\n"
        "        (CSV rows, JSON lines) skip a bad record, count it and say where. Companion rows whose\n"
        "        entity is missing from sdn.csv (files of different dates) are counted as orphans.\n\n"
        "    show DB\n"
        "        Lists the imported lists: id, whether screened (active), source, format, publication date,\n"
        "        counts, sha256 and file. --entities ID prints the entities of one list as JSON lines.\n\n"
        "    diff OLD NEW\n"
        "        Compares two files of a list by the list's own ids: '+' added (new designations), '-'\n"
        "        removed (delistings), '~' changed, with the fields that changed (names, ids, programs,\n"
        "        countries, flag, links, ...). A summary goes to stderr.\n\n"
        "    fetch\n"
        "        Downloads the official files into --dir: ofac-sdn, ofac-add, ofac-alt, ofac-comments\n"
        "        (sanctionslistservice.ofac.treas.gov), un (scsanctions.un.org), uk\n"
        "        (sanctionslist.fcdo.gov.uk), eu (webgate.ec.europa.eu FSF), opensanctions\n"
        "        (data.opensanctions.org). --url NAME=URL replaces a source's URL or adds a source;\n"
        "        --config FILE reads NAME=URL lines. --import DB imports what was downloaded.\n\n"
        "    After an import, every vessel of the project's track store ('vesselwatch ingest' into the same\n"
        "    DB) is screened against the active lists: every name its MMSI broadcast, now or earlier, with\n"
        "    its IMO, MMSI, call sign and flag. Matches are stored with their explanation and the list's\n"
        "    provenance, replacing the vessel's earlier ones; 'vesselwatch vessels' shows them.\n";
    s.options = {
        {"list-format", 0, Arity::value, "F",
         "import, diff: read FILE as ofac-csv, ofac-xml, un-xml, uk-xml, uk-csv, eu-xml or\n"
         "ftm-json instead of detecting the format."},
        {"strict", 0, Arity::flag, "",
         "import: exit 1 when records were skipped or companion rows are orphans."},
        {"stats", 0, Arity::flag, "", "import: print each list's load report as a JSON line on stdout."},
        {"no-screen", 0, Arity::flag, "", "import: do not screen the track store's vessels afterwards."},
        {"quiet", 'q', Arity::flag, "", "No summary on stderr."},
        {"format", 'f', Arity::value, "FORMAT", "show, diff: text (default) or ndjson."},
        {"entities", 0, Arity::value, "LIST_ID", "show: print the entities of this list as JSON lines."},
        {"dir", 0, Arity::value, "DIR", "fetch: where to save the files (default: the current directory)."},
        {"source", 0, Arity::repeated, "NAME",
         "fetch: only this source (repeatable; 'ofac' = the four OFAC files)."},
        {"url", 0, Arity::repeated, "NAME=URL", "fetch: use URL for source NAME (repeatable)."},
        {"config", 0, Arity::value, "FILE", "fetch: NAME=URL lines ('#' comments); --url wins."},
        {"timeout", 0, Arity::value, "SECONDS", "fetch: give up a download after this long (default 300)."},
        {"import", 0, Arity::value, "DB", "fetch: import the downloaded files into DB."},
    };
    s.examples =
        "    vesselwatch lists import case.vw sdn.csv add.csv alt.csv sdn_comments.csv UN.xml\n"
        "    vesselwatch lists show case.vw\n"
        "    vesselwatch lists diff sdn_2024-04-01.csv sdn_2024-05-03.csv | grep '^+'\n"
        "    vesselwatch lists fetch --dir lists/ --source ofac --source un --import case.vw\n";
    s.exit_status =
        "    0  done (skipped records and orphan rows are counted in the summary)\n"
        "    1  a list file could not be read or is malformed, a download failed, or --strict met a\n"
        "       skipped record\n"
        "    2  bad arguments (unknown sub-verb, missing DB or FILE)\n"
        "    3  writing the output failed\n"
        "    4  internal error\n";
    return s;
}

Exit lists_run(const ParsedArgs& args) {
    const auto& pos = args.positional();
    if (pos.empty())
        throw ConfigError(
            "lists: a sub-verb is needed: import, show, diff or fetch (see vesselwatch lists --help)");
    if (pos[0] == "import") return run_import(args, pos);
    if (pos[0] == "show") return run_show(args, pos);
    if (pos[0] == "diff") return run_diff(args, pos);
    if (pos[0] == "fetch") return run_fetch(args, pos);
    throw ConfigError("lists: unknown sub-verb '" + pos[0] + "' (import, show, diff, fetch)");
}

}  // namespace vw::cli
