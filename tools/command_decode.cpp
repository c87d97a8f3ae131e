// vesselwatch decode: raw AIS (NMEA 0183/4.x) -> gpsd-style NDJSON or CSV.
#include "command_decode.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <optional>

#include "options_common.hpp"
#include "vesselwatch/ais/csv.hpp"
#include "vesselwatch/ais/decode.hpp"
#include "vesselwatch/ais/json.hpp"
#include "vesselwatch/util/error.hpp"
#include "vesselwatch/util/output.hpp"

namespace vw::cli {

namespace {

enum class OutputFormat : std::uint8_t { ndjson, csv };

constexpr std::size_t kTypeSlots = 64;

}  // namespace

CommandSpec decode_spec() {
    CommandSpec s;
    s.name = "decode";
    s.summary = "decode raw AIS sentences into gpsd-style JSON lines or CSV";
    s.synopsis = "vesselwatch decode [OPTIONS] [INPUT...]";
    s.description =
        "    Reads raw AIS as receivers and archives write it - NMEA 0183 !xxVDM/!xxVDO sentences with any\n"
        "    talker, NMEA 4 tag blocks (\\s:station,c:time*hh\\), Gatehouse $PGHP wrappers, USCG and exactEarth\n"
        "    trailers - reassembles multi-part messages, decodes all 27 message types and writes one JSON\n"
        "    object per message with gpsd's field names and scaling (as 'gpsdecode -j'), followed by\n"
        "    \"rxtime\" (receive time, when the input says it; never invented), \"station\" (tag-block source)\n"
        "    and \"line\" (the input line the message started on).\n\n"
        "    INPUT is a file, a directory (read recursively, in name order) or '-' for standard input\n"
        "    (the default). Compressed inputs (.gz, .bz2, .xz, .zst) and .zip archives are detected by their\n"
        "    content and streamed with bounded memory.\n\n"
        "    Bad input never stops the run: every rejected line is counted by kind (bad_checksum,\n"
        "    orphan_fragment, short_payload, ... - see docs/cli/decode.md) and skipped; a summary goes to\n"
        "    stderr and --stats gives the counts as JSON. Use --strict to stop at the first bad record.\n";
    s.options = {
        {"format", 'f', Arity::value, "FORMAT", "Output format: ndjson (default) or csv (columns in docs/ais-fields.md)."},
        {"output", 'o', Arity::value, "FILE", "Write to FILE instead of standard output."},
        {"types", 't', Arity::value, "LIST", "Only write these message types, e.g. 1,2,3,5 or 1-3,18,19,24."},
        {"stats", 0, Arity::flag, "", "Print the counts (lines, messages by type, rejected records by kind) as\n"
                                      "JSON on stderr at the end."},
        {"quiet", 'q', Arity::flag, "", "No summary line on stderr."},
    };
    for (auto& o : input_option_specs()) s.options.push_back(std::move(o));
    s.examples =
        "    vesselwatch decode capture.nmea > messages.ndjson\n"
        "    vesselwatch decode --types 5,24 --format csv archive.zip -o static.csv\n"
        "    zcat day.nmea.gz | vesselwatch decode --stats - > /dev/null\n"
        "    vesselwatch decode --strict feed.nmea      # exit 1 at the first bad line, with file:line\n";
    return s;
}

Exit decode_run(const ParsedArgs& args) {
    OutputFormat format = OutputFormat::ndjson;
    if (auto f = args.value("format")) {
        if (*f == "ndjson" || *f == "json")
            format = OutputFormat::ndjson;
        else if (*f == "csv")
            format = OutputFormat::csv;
        else
            throw ConfigError("option --format: '" + *f + "' is not one of ndjson, csv");
    }
    std::bitset<64> types;
    types.set();
    if (auto t = args.value("types")) types = parse_type_list(*t);

    pipeline::StreamOptions options;
    apply_input_options(args, options);
    ProgressBar bar(progress_mode(args));
    if (bar.enabled())
        options.progress = [&bar](const std::string& src, const io::Progress& p, std::uint64_t lines) {
            bar.update(src, p.consumed_bytes, p.total_bytes, lines);
        };

    std::vector<std::string> inputs = args.positional();
    if (inputs.empty()) inputs.emplace_back("-");

    int fd = 1;
    std::string out_name = "<stdout>";
    if (auto o = args.value("output"); o && *o != "-") {
        fd = ::open(o->c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0) throw OutputError(SourceLocation{*o}, "cannot open for writing");
        out_name = *o;
    }
    OutBuffer out(fd, out_name);

    std::array<std::uint64_t, kTypeSlots> by_type{};
    std::uint64_t written = 0;
    pipeline::StreamStats stats;

    if (format == OutputFormat::csv) ais::write_csv_header(out);

    pipeline::for_each_message(inputs, options, stats, [&](const pipeline::MessageOrigin& origin) {
        const nmea::Message& msg = origin.nmea;
        const ais::DecodeResult r = ais::decode(msg.payload, msg.fill_bits, [&](const auto& m) {
            ++by_type[m.type];
            if (!types.test(m.type)) return;
            ais::JsonMeta meta;
            meta.device = origin.source;
            meta.rxtime_ms = msg.receive_time_ms;
            meta.station = msg.station;
            meta.line = msg.first_line();
            if (format == OutputFormat::ndjson) ais::write_json(out, m, meta); else ais::write_csv(out, m, meta);
            ++written;
        });
        return r.issue;
    });
    bar.finish();
    out.flush();
    if (fd != 1) ::close(fd);

    if (args.has("stats")) {
        const std::string js = stats_json(stats, by_type.data(), 28, written);
        std::fputs(js.c_str(), stderr);
    } else if (!args.has("quiet")) {
        std::fputs(stats_summary("decode", stats, written).c_str(), stderr);
    }
    return stats.failed_inputs.empty() ? Exit::ok : Exit::input_error;
}

}  // namespace vw::cli
