// vesselwatch ingest: raw AIS files -> the project's track store (thin adapter over vw::track::Ingester).
#include "command_ingest.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <optional>

#include "options_common.hpp"
#include "vesselwatch/screen/store_screening.hpp"
#include "vesselwatch/track/ingest.hpp"
#include "vesselwatch/track/store.hpp"
#include "vesselwatch/track/time.hpp"
#include "vesselwatch/util/error.hpp"
#include "vesselwatch/util/text.hpp"

namespace vw::cli {

namespace {

std::string_view outcome_name(track::FileResult::Outcome o) {
    switch (o) {
        case track::FileResult::Outcome::ingested: return "ingested";
        case track::FileResult::Outcome::already_held: return "already_held";
        case track::FileResult::Outcome::replaced_partial: return "replaced_partial";
        case track::FileResult::Outcome::failed: return "failed";
    }
    return "?";
}

std::string file_json(const track::FileResult& r) {
    // (paths and messages may hold any bytes: append_json_string escapes them and replaces ill-formed UTF-8)
    std::string s = "{\"path\":";
    append_json_string(s, r.path);
    s += ",\"sha256\":\"" + r.sha256 + "\",\"outcome\":\"" + std::string(outcome_name(r.outcome)) + "\"";
    if (r.outcome == track::FileResult::Outcome::failed) {
        s += ",\"error\":";
        append_json_string(s, r.error);
        s += '}';
        return s;
    }
    s += ",\"format\":";
    append_json_string(s, r.format);
    s += ",\"lines\":" + std::to_string(r.lines) + ",\"messages\":" + std::to_string(r.messages);
    s += ",\"positions\":" + std::to_string(r.positions) + ",\"identities\":" + std::to_string(r.identities);
    s += ",\"batches\":" + std::to_string(r.batches) + ",\"cleaning\":{";
    bool first = true;
    for (std::size_t k = 0; k < track::kCleaningCount; ++k) {
        if (r.cleaning[k] == 0) continue;
        if (!first) s += ',';
        first = false;
        s += '"';
        s += track::cleaning_name(static_cast<track::Cleaning>(k));
        s += "\":" + std::to_string(r.cleaning[k]);
    }
    s += "},\"issues\":{";
    first = true;
    for (std::size_t k = 0; k < kIssueCount; ++k) {
        if (r.stream.issues.n[k] == 0) continue;
        if (!first) s += ',';
        first = false;
        s += '"';
        s += issue_name(static_cast<Issue>(k));
        s += "\":" + std::to_string(r.stream.issues.n[k]);
    }
    s += "},\"bad_rows\":{";
    first = true;
    for (std::size_t k = 0; k < track::kRowIssueCount; ++k) {
        if (r.row_issues[k] == 0) continue;
        if (!first) s += ',';
        first = false;
        s += '"';
        s += track::row_issue_name(static_cast<track::RowIssue>(k));
        s += "\":" + std::to_string(r.row_issues[k]);
    }
    s += "},\"bad_row_examples\":[";
    for (std::size_t k = 0; k < r.row_issue_examples.size(); ++k) {
        if (k) s += ',';
        append_json_string(s, r.row_issue_examples[k]);
    }
    s += "]";
    if (r.outcome != track::FileResult::Outcome::already_held) {
        const track::IngestTiming& t = r.timing;
        char buf[400];
        std::snprintf(buf, sizeof buf,
                      ",\"timing\":{\"digest_s\":%.3f,\"open_s\":%.3f,\"read_s\":%.3f,\"flush_s\":%.3f,"
                      "\"commit_s\":%.3f,\"reader_cpu_s\":%.3f,\"storer_cpu_s\":%.3f,\"reader_wait_s\":%.3f,"
                      "\"storer_wait_s\":%.3f}",
                      t.digest_s, t.open_s, t.read_s, t.flush_s, t.commit_s, t.reader_cpu_s, t.storer_cpu_s,
                      t.reader_wait_s, t.storer_wait_s);
        s += buf;
    }
    s += "}";
    return s;
}

}  // namespace

CommandSpec ingest_spec() {
    CommandSpec s;
    s.name = "ingest";
    s.summary = "load AIS files (raw NMEA or decoded CSV/JSON dumps) into a project database";
    s.synopsis = "vesselwatch ingest [OPTIONS] DB INPUT...";
    s.description =
        "    Reads the same raw inputs as 'vesselwatch decode' (NMEA with tag blocks, wrappers and trailers;\n"
        "    .gz/.bz2/.xz/.zst; .zip; directories; '-' for standard input) and decoded dumps: NOAA\n"
        "    MarineCadastre CSV, Danish Maritime Authority CSV, newline JSON (Global Fishing Watch style)\n"
        "    and any other CSV through --columns. The format is detected from each file's first line;\n"
        "    --format overrides. It stores every vessel's positions and identity history in DB, a SQLite\n"
        "    file created on first use (see docs/store.md). Every stored position and identity keeps its\n"
        "    source and line (a CSV/JSON row's line): 'vesselwatch raw' prints the original lines.\n\n"
        "    A file that fails (unreadable, truncated or corrupt compressed data, decompression bomb, read\n"
        "    error, --strict fault) leaves nothing of itself in DB; the report lists the files done and\n"
        "    failed, the others are still ingested (--strict stops at the first), and running the same\n"
        "    command again continues: files held are skipped by sha256.\n\n"
        "    Each input file is recorded once with its sha256: ingesting it again adds nothing. Work is\n"
        "    committed in batches; a file is marked complete only at its end, so an interrupted ingest\n"
        "    (even kill -9) leaves a database that opens, and running the same command again replaces the\n"
        "    partial file. Queries show complete files only.\n\n"
        "    Every stored position has a receive time. NMEA without times (no tag block c:, trailer or\n"
        "    wrapper) stops with an error unless --missing-time skip or --assume-time is given.\n\n"
        "    Cleaning is counted, never silent: positions not available (91/181), out of range, noise\n"
        "    speeds (51.2, 63, 102.2 kn), out-of-order input, exact duplicates and the same message heard\n"
        "    by several receivers (stored once with the number of receivers); a position stored from an\n"
        "    earlier file (another receiver's archive) is not stored again (identical within 5 s).\n\n"
        "    Then the vessels of the new files are screened against the sanctions lists imported into DB\n"
        "    ('vesselwatch lists import'): every name the MMSI broadcast, now or earlier, with its IMO,\n"
        "    MMSI, call sign and flag. Matches are stored with their explanation and the list's\n"
        "    provenance, replacing the vessel's earlier ones; 'vesselwatch vessels' shows them.\n";
    s.options = {
        {"format", 0, Arity::value, "FORMAT",
         "Read every input as nmea, marinecadastre, dma, gfw-json or csv instead of detecting it."},
        {"columns", 0, Arity::value, "MAP",
         "CSV columns of a dump of no known dialect, FIELD=COLUMN,... with FIELD one of mmsi, time, lat,\n"
         "lon, sog, cog, heading, rot, status, type, name, callsign, imo, ship_type, length, width,\n"
         "to_bow, to_stern, to_port, to_starboard, draught, destination, eta, station_class (mmsi and\n"
         "time required). Implies --format csv. See docs/inputs.md."},
        {"time-format", 0, Arity::value, "PATTERN",
         "Times of a --columns CSV: %Y %m %d %H %M %S %f %z %s and literals (e.g. '%d/%m/%Y %H:%M').\n"
         "Default: ISO 8601 or Unix seconds."},
        {"missing-time", 0, Arity::value, "error|skip",
         "Messages without a receive time: stop with an error (default) or skip and count them."},
        {"assume-time", 0, Arity::value, "TIME",
         "Give messages without a receive time this time (ISO 8601 UTC or Unix seconds)."},
        {"keep-duplicates", 0, Arity::flag, "",
         "Store every copy of a message heard by several receivers, each with its own line."},
        {"batch", 0, Arity::value, "N", "Messages per committed transaction. Default 200000."},
        {"zstd-level", 0, Arity::value, "N", "Compression level of position chunks (1-19). Default 3."},
        {"json-progress", 0, Arity::flag, "",
         "Write progress as JSON lines on stderr ({\"progress\":{...}}), for other programs."},
        {"no-screen", 0, Arity::flag, "", "Do not screen the new vessels against the imported sanctions lists."},
        {"stats", 0, Arity::flag, "", "Print the per-file report as JSON on stdout at the end."},
        {"quiet", 'q', Arity::flag, "", "No summary on stderr."},
    };
    for (auto& o : input_option_specs()) s.options.push_back(std::move(o));
    s.examples =
        "    vesselwatch ingest case.vw day1.nmea.gz day2.nmea.gz\n"
        "    vesselwatch ingest case.vw archive/            # every file below, in name order\n"
        "    vesselwatch ingest --assume-time 2024-03-01 case.vw untimed.nmea\n"
        "    vesselwatch ingest --json-progress case.vw big.zip 2> progress.ndjson\n"
        "    vesselwatch ingest case.vw AIS_2023_01_01.csv.zst aisdk-2024-03-01.zip\n"
        "    vesselwatch ingest --columns mmsi=ID,time=ts,lat=y,lon=x --time-format '%d/%m/%Y %H:%M' case.vw f.csv\n"
        "    zcat feed.nmea.gz | vesselwatch ingest case.vw -\n";
    return s;
}

Exit ingest_run(const ParsedArgs& args) {
    const auto& pos = args.positional();
    if (pos.size() < 2) throw ConfigError("ingest needs DB and at least one INPUT (see vesselwatch ingest --help)");
    track::IngestOptions opt;
    apply_input_options(args, opt.stream);
    if (auto v = args.value("missing-time")) {
        if (*v == "error")
            opt.missing_time = track::MissingTime::error;
        else if (*v == "skip")
            opt.missing_time = track::MissingTime::skip;
        else
            throw ConfigError("option --missing-time: '" + *v + "' is not one of error, skip");
    }
    if (auto v = args.value("assume-time")) {
        const auto t = track::parse_time(*v);
        if (!t) throw ConfigError("option --assume-time: '" + *v + "' is not an ISO 8601 UTC time or Unix seconds");
        opt.missing_time = track::MissingTime::assume;
        opt.assumed_time_ms = *t;
    }
    if (args.has("keep-duplicates")) opt.duplicates = track::Duplicates::keep;
    if (auto v = args.value("batch")) {
        opt.batch_messages = parse_count("batch", *v);
        if (opt.batch_messages == 0) throw ConfigError("option --batch: must be at least 1");
    }
    if (auto v = args.value("zstd-level")) {
        const auto l = parse_count("zstd-level", *v);
        if (l < 1 || l > 19) throw ConfigError("option --zstd-level: must be 1 to 19");
        opt.zstd_level = static_cast<int>(l);
    }
    if (auto v = args.value("format")) {
        opt.format = track::input_format_from_name(*v);
        if (!opt.format)
            throw ConfigError("option --format: '" + *v + "' is not one of nmea, marinecadastre, dma, gfw-json, csv");
    }
    if (auto v = args.value("columns")) opt.rows.columns = track::parse_column_spec(*v);
    if (auto v = args.value("time-format")) {
        if (!args.has("columns") && opt.format != track::InputFormat::csv)
            throw ConfigError("option --time-format applies to --columns CSV input (the dialects know their own)");
        opt.rows.time_format = track::TimeFormat(*v);
    }
    if (opt.format == track::InputFormat::csv && opt.rows.columns.empty())
        throw ConfigError("--format csv needs --columns (which column holds what)");
    const bool strict = opt.stream.strictness == pipeline::Strictness::fail_first;
    const bool json_progress = args.has("json-progress");
    const bool quiet = args.has("quiet");

    std::vector<std::string> skipped;
    const std::vector<std::string> inputs =
        track::expand_inputs(std::vector<std::string>(pos.begin() + 1, pos.end()), skipped);
    track::Store store(pos[0], track::Access::read_write);
    track::Ingester ingester(store, opt);
    ProgressBar bar(json_progress ? ProgressMode::never : progress_mode(args));
    const auto start = std::chrono::steady_clock::now();
    auto progress = [&](const track::IngestProgress& p) {
        if (json_progress) {
            std::string s = "{\"progress\":{\"file\":";
            append_json_string(s, p.file);
            s += ",\"bytes\":" + std::to_string(p.consumed_bytes);
            if (p.total_bytes) s += ",\"total_bytes\":" + std::to_string(*p.total_bytes);
            const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            s += ",\"lines\":" + std::to_string(p.lines) + ",\"positions\":" + std::to_string(p.positions);
            s += ",\"elapsed_s\":" + std::to_string(secs) + "}}\n";
            std::fputs(s.c_str(), stderr);
        } else {
            bar.update(p.file, p.consumed_bytes, p.total_bytes, p.lines);
        }
    };

    Exit exit = Exit::ok;
    std::vector<track::FileResult> results;
    std::size_t failed = 0;
    bool store_failed = false;
    for (const auto& in : inputs) {
        try {
            results.push_back(ingester.ingest_file(in, progress));
        } catch (const Error& e) {
            bar.finish();
            // An error of the store itself (disk full, I/O error) stops the run: the file it was reading
            // is rolled back, the report below still says what was done; an input's error fails that
            // input only.
            store_failed = dynamic_cast<const OutputError*>(&e) != nullptr ||
                           (dynamic_cast<const IoError*>(&e) != nullptr && std::string_view(e.where().file) == store.path());
            track::FileResult r;
            r.path = in;
            r.outcome = track::FileResult::Outcome::failed;
            r.error = e.what();
            results.push_back(std::move(r));
            ++failed;
            std::fprintf(stderr, "vesselwatch ingest: FAILED %s (nothing of it stored): %s\n", in.c_str(), e.what());
            exit = store_failed ? Exit::output_error : Exit::input_error;
            if (store_failed || strict) {
                std::fprintf(stderr, "vesselwatch ingest: %s: stopping; %zu input(s) not read\n",
                             store_failed ? "the database cannot be written" : "--strict",
                             inputs.size() - results.size());
                break;
            }
        }
    }
    bar.finish();
    for (const auto& s : skipped) std::fprintf(stderr, "vesselwatch ingest: skipped %s\n", s.c_str());

    // Segments of the vessels the new files touched, plus any left stale by an earlier interrupted run
    // (recompute_segments runs in its own transaction, after the files are complete).
    std::vector<std::uint32_t> touched = store.mmsis_with_stale_segments();
    for (const auto& r : results) {
        if (r.outcome != track::FileResult::Outcome::ingested && r.outcome != track::FileResult::Outcome::replaced_partial)
            continue;
        const auto m = store.mmsis(r.file_id);
        touched.insert(touched.end(), m.begin(), m.end());
    }
    std::sort(touched.begin(), touched.end());
    touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
    // After a store failure nothing more is written: the next run recomputes the stale segments.
    const auto segments_start = std::chrono::steady_clock::now();
    const track::SegmentStats segments = store_failed ? track::SegmentStats{} : track::recompute_segments(store, touched);
    const double segments_secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - segments_start).count();
    if (!store_failed) (void)warn_if_simulated(store);

    // screening of the vessels stored from the new files (not those already held)
    std::optional<screen::VesselScreeningReport> screening;
    if (!store_failed && !args.has("no-screen") && screen::has_active_lists(store.database())) {
        std::vector<std::uint32_t> mmsis;
        for (const auto& r : results) {
            if (r.outcome == track::FileResult::Outcome::already_held || r.outcome == track::FileResult::Outcome::failed)
                continue;
            const auto m = store.mmsis(r.file_id);
            mmsis.insert(mmsis.end(), m.begin(), m.end());
        }
        screen::ListStore lists(store.database());
        screening = screen::screen_store_vessels(store, lists, screen::VesselSelection::given, mmsis);
    }

    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::uint64_t messages = 0, positions = 0, identities = 0, held = 0;
    std::array<std::uint64_t, track::kCleaningCount> cleaning{};
    for (const auto& r : results) {
        if (r.outcome == track::FileResult::Outcome::failed) continue;
        messages += r.messages;
        positions += r.positions;
        identities += r.identities;
        held += r.outcome == track::FileResult::Outcome::already_held ? 1 : 0;
        for (std::size_t k = 0; k < track::kCleaningCount; ++k) cleaning[k] += r.cleaning[k];
    }
    if (args.has("stats")) {
        std::string s = "{\"files\":[";
        for (std::size_t k = 0; k < results.size(); ++k) s += (k ? "," : "") + file_json(results[k]);
        s += "],\"segments\":{\"mmsis\":" + std::to_string(segments.mmsis) + ",\"positions\":" +
             std::to_string(segments.positions) + ",\"segments\":" + std::to_string(segments.segments) +
             ",\"seconds\":" + std::to_string(segments_secs) + "}";
        s += ",\"done\":" + std::to_string(results.size() - failed) + ",\"failed\":" + std::to_string(failed) +
             ",\"not_read\":" + std::to_string(inputs.size() - results.size());
        if (screening)
            s += ",\"screening\":{\"lists\":" + std::to_string(screening->lists) +
                 ",\"entities\":" + std::to_string(screening->entities) +
                 ",\"vessels\":" + std::to_string(screening->vessels) +
                 ",\"vessels_matched\":" + std::to_string(screening->vessels_matched) +
                 ",\"matches\":" + std::to_string(screening->matches) + "}";
        s += ",\"seconds\":" + std::to_string(secs) + "}\n";
        std::fputs(s.c_str(), stdout);
    }
    if (!quiet) {
        std::fprintf(stderr, "ingest: %zu files (%llu already held), %llu messages -> %llu positions, %llu identity records in %.2f s\n",
                     results.size() - failed, static_cast<unsigned long long>(held), static_cast<unsigned long long>(messages),
                     static_cast<unsigned long long>(positions), static_cast<unsigned long long>(identities), secs);
        std::string clean;
        for (std::size_t k = 0; k < track::kCleaningCount; ++k)
            if (cleaning[k] != 0)
                clean += " " + std::string(track::cleaning_name(static_cast<track::Cleaning>(k))) + "=" +
                         std::to_string(cleaning[k]);
        if (!clean.empty()) std::fprintf(stderr, "ingest: cleaning:%s\n", clean.c_str());
        for (const auto& r : results) {
            std::uint64_t bad = 0;
            std::string kinds;
            for (std::size_t k = 0; k < track::kRowIssueCount; ++k) {
                if (r.row_issues[k] == 0) continue;
                bad += r.row_issues[k];
                kinds += ' ';
                kinds += track::row_issue_name(static_cast<track::RowIssue>(k));
                kinds += '=';
                kinds += std::to_string(r.row_issues[k]);
            }
            if (bad == 0) continue;
            std::fprintf(stderr, "ingest: %s: %llu bad rows skipped:%s\n", r.path.c_str(),
                         static_cast<unsigned long long>(bad), kinds.c_str());
            for (const auto& ex : r.row_issue_examples) std::fprintf(stderr, "ingest:   %s\n", ex.c_str());
        }
        if (failed != 0) {
            std::fprintf(stderr, "ingest: %zu input(s) FAILED, nothing of them stored (run again to retry):\n", failed);
            for (const auto& r : results)
                if (r.outcome == track::FileResult::Outcome::failed) std::fprintf(stderr, "ingest:   %s\n", r.path.c_str());
        }
        if (screening)
            std::fprintf(stderr,
                         "ingest: screened %zu vessels against %zu sanctions lists (%zu entities): %zu matched, "
                         "%zu matches stored, %.2f s\n",
                         screening->vessels, screening->lists, screening->entities, screening->vessels_matched,
                         screening->matches, screening->seconds);
        else if (!store_failed && !args.has("no-screen"))
            std::fprintf(stderr,
                         "ingest: no sanctions list in %s: vessels not screened ('vesselwatch lists import')\n",
                         store.path().c_str());
    }
    return exit;
}

}  // namespace vw::cli
