// vesselwatch info: what a database holds - sources, counts, time span, cleaning and errors by kind.
#include "command_info.hpp"

#include "options_common.hpp"

#include <sys/stat.h>

#include <cstdio>

#include "vesselwatch/track/store.hpp"
#include "vesselwatch/track/time.hpp"
#include "vesselwatch/util/error.hpp"
#include "vesselwatch/util/output.hpp"
#include "vesselwatch/util/text.hpp"

namespace vw::cli {

CommandSpec info_spec() {
    CommandSpec s;
    s.name = "info";
    s.summary = "summarise a database: sources, counts, time span, errors by kind";
    s.synopsis = "vesselwatch info DB [--json]";
    s.description =
        "    Lists every ingested file (path as given, size, sha256, time of ingest, complete or interrupted),\n"
        "    the logical sources inside them with their ids (as used by 'raw' and '--with-source'), the\n"
        "    number of vessels, positions, chunks and identity records, the time span, the database size per\n"
        "    stored position, and the counters of the ingests by kind (cleaning and rejected input).\n";
    s.options = {{"json", 0, Arity::flag, "", "Write one JSON object instead of text."}};
    s.examples = "    vesselwatch info case.vw\n    vesselwatch info case.vw --json | jq .positions\n";
    return s;
}

Exit info_run(const ParsedArgs& args) {
    if (args.positional().size() != 1) throw ConfigError("info needs exactly one DB");
    const std::string& path = args.positional()[0];
    track::Store store(path, track::Access::read_only);
    const std::uint64_t simulated = warn_if_simulated(store);
    auto& db = store.database();
    std::uint64_t positions = 0, chunks = 0, vessels = 0, blob_bytes = 0;
    std::int64_t t_min = 0, t_max = 0;
    {
        auto st = db.prepare(
            "SELECT coalesce(sum(c.n),0), count(*), count(DISTINCT c.mmsi), coalesce(min(c.t_min),0), "
            "coalesce(max(c.t_max),0), coalesce(sum(length(c.data)),0) FROM track_chunks c "
            "JOIN track_sources s ON s.id = c.source_id JOIN track_files f ON f.id = s.file_id WHERE f.complete = 1");
        if (st.step()) {
            positions = static_cast<std::uint64_t>(st.int64(0));
            chunks = static_cast<std::uint64_t>(st.int64(1));
            vessels = static_cast<std::uint64_t>(st.int64(2));
            t_min = st.int64(3);
            t_max = st.int64(4);
            blob_bytes = static_cast<std::uint64_t>(st.int64(5));
        }
    }
    std::uint64_t identities = 0;
    {
        auto st = db.prepare("SELECT count(*) FROM track_identities");
        if (st.step()) identities = static_cast<std::uint64_t>(st.int64(0));
    }
    // Stored segments (schema version 2; a version 1 store has none: queries compute them).
    std::uint64_t segments = 0, segmented_vessels = 0;
    {
        auto t = db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'track_segments'");
        if (t.step() && t.int64(0) > 0) {
            auto st = db.prepare("SELECT count(*), count(DISTINCT mmsi) FROM track_segments");
            if (st.step()) {
                segments = static_cast<std::uint64_t>(st.int64(0));
                segmented_vessels = static_cast<std::uint64_t>(st.int64(1));
            }
        }
    }
    std::uint64_t db_bytes = 0;
    {
        auto st = db.prepare("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()");
        if (st.step()) db_bytes = static_cast<std::uint64_t>(st.int64(0));
    }
    const auto files = store.files();
    const auto sources = store.sources();
    const auto counts = store.counts(false);

    OutBuffer out(1);
    const double per_pos = positions ? static_cast<double>(db_bytes) / static_cast<double>(positions) : 0.0;
    char buf[256];
    if (args.has("json")) {
        // Paths and source names (a tag block's s: field) are the inputs' bytes: escaped, and ill-formed
        // UTF-8 replaced, so that the document is always valid JSON.
        std::string j = "{\"database\":";
        append_json_string(j, path);
        j += ",\"bytes\":" + std::to_string(db_bytes);
        j += ",\"positions\":" + std::to_string(positions) + ",\"chunks\":" + std::to_string(chunks);
        j += ",\"vessels\":" + std::to_string(vessels) + ",\"identities\":" + std::to_string(identities);
        j += ",\"segments\":" + std::to_string(segments) + ",\"vessels_with_stored_segments\":" +
             std::to_string(segmented_vessels);
        std::snprintf(buf, sizeof buf, ",\"bytes_per_position\":%.2f", per_pos);
        j += buf;
        if (positions) j += ",\"from\":\"" + track::format_time(t_min) + "\",\"to\":\"" + track::format_time(t_max) + "\"";
        j += ",\"simulated_messages\":" + std::to_string(simulated);
        j += ",\"files\":[";
        for (std::size_t k = 0; k < files.size(); ++k) {
            const auto& f = files[k];
            if (k) j += ',';
            j += "{\"id\":" + std::to_string(f.id) + ",\"path\":";
            append_json_string(j, f.path);
            j += ",\"size\":" + std::to_string(f.size) + ",\"sha256\":\"" + f.sha256 + "\",\"format\":";
            append_json_string(j, f.format);
            j += ",\"ingested_at\":\"" + track::format_time(f.ingested_at_ms) + "\",\"complete\":" +
                 (f.complete ? "true" : "false") + "}";
        }
        j += "],\"sources\":[";
        for (std::size_t k = 0; k < sources.size(); ++k) {
            if (k) j += ',';
            j += "{\"id\":" + std::to_string(sources[k].id) + ",\"file\":" + std::to_string(sources[k].file_id) +
                 ",\"name\":";
            append_json_string(j, sources[k].name);
            j += '}';
        }
        j += "],\"counts\":{";
        for (std::size_t k = 0; k < counts.size(); ++k) {
            if (k) j += ',';
            append_json_string(j, counts[k].first);
            j += ":" + std::to_string(counts[k].second);
        }
        out.write(j);
        out.write("}}\n");
        out.flush();
        return Exit::ok;
    }
    out.write("database   " + utf8_replacing(path) + "\n");
    std::snprintf(buf, sizeof buf, "size       %llu bytes (%.2f bytes per position, %llu in position chunks)\n",
                  static_cast<unsigned long long>(db_bytes), per_pos, static_cast<unsigned long long>(blob_bytes));
    out.write(buf);
    std::snprintf(buf, sizeof buf, "positions  %llu in %llu chunks, %llu vessels, %llu identity records\n",
                  static_cast<unsigned long long>(positions), static_cast<unsigned long long>(chunks),
                  static_cast<unsigned long long>(vessels), static_cast<unsigned long long>(identities));
    out.write(buf);
    std::snprintf(buf, sizeof buf, "segments   %llu stored, for %llu of %llu vessels (the others are computed when queried)\n",
                  static_cast<unsigned long long>(segments), static_cast<unsigned long long>(segmented_vessels),
                  static_cast<unsigned long long>(vessels));
    out.write(buf);
    if (positions) out.write("time span  " + track::format_time(t_min) + " .. " + track::format_time(t_max) + "\n");
    out.write("files\n");
    for (const auto& f : files) {
        std::snprintf(buf, sizeof buf, "  %3lld  %-10s %12llu bytes  sha256 %.16s…  ingested %s  ", static_cast<long long>(f.id),
                      f.complete ? "complete" : "INTERRUPTED", static_cast<unsigned long long>(f.size), f.sha256.c_str(),
                      track::format_time(f.ingested_at_ms).c_str());
        out.write(buf);
        out.write(utf8_replacing(f.path) + "\n");
        for (const auto& s : sources)
            if (s.file_id == f.id) out.write("       source " + std::to_string(s.id) + ": " + utf8_replacing(s.name) + "\n");
    }
    out.write("counts (all files)\n");
    for (const auto& [kind, n] : counts) {
        std::snprintf(buf, sizeof buf, "  %-34s %llu\n", kind.c_str(), static_cast<unsigned long long>(n));
        out.write(buf);
    }
    out.flush();
    return Exit::ok;
}

}  // namespace vw::cli
