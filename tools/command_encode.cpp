// vesselwatch encode: typed messages (gpsd-style NDJSON, as `decode` writes them) -> valid NMEA.
#include "command_encode.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <optional>

#include "options_common.hpp"
#include "vesselwatch/ais/encode.hpp"
#include "vesselwatch/ais/json.hpp"
#include "vesselwatch/io/input.hpp"
#include "vesselwatch/io/line_reader.hpp"
#include "vesselwatch/nmea/writer.hpp"
#include "vesselwatch/util/error.hpp"
#include "vesselwatch/util/output.hpp"

namespace vw::cli {

CommandSpec encode_spec() {
    CommandSpec s;
    s.name = "encode";
    s.summary = "encode typed AIS messages (gpsd-style JSON lines) into valid NMEA sentences";
    s.synopsis = "vesselwatch encode [OPTIONS] [INPUT...]";
    s.description =
        "    The reverse of 'vesselwatch decode': reads one JSON object per line with gpsd's AIS field\n"
        "    names and scaling (the output of 'vesselwatch decode' or 'gpsdecode -j'), encodes each message\n"
        "    into its ITU-R M.1371 bit layout and writes !AIVDM sentences with correct checksums, split into\n"
        "    multi-part sentences (sequential ids 0-9) when the payload exceeds 60 characters.\n\n"
        "    When a message has \"rxtime\" or \"station\" (or --station is given), an NMEA 4 tag block\n"
        "    \\s:station,c:seconds*hh\\ carries them, and multi-part messages get a tag-block group g:.\n"
        "    Lines that are not valid messages are counted (bad_record) and skipped; --strict stops at\n"
        "    the first one with file:line and the cause.\n";
    s.options = {
        {"output", 'o', Arity::value, "FILE", "Write to FILE instead of standard output."},
        {"talker", 0, Arity::value, "XX", "Talker id of the sentences. Default AI."},
        {"channel", 0, Arity::value, "C", "Radio channel field: A (default), B, 1, 2, or 'none' for empty."},
        {"vdo", 0, Arity::flag, "", "Write !xxVDO (own ship) instead of !xxVDM."},
        {"station", 0, Arity::value, "ID", "Tag-block source station for every message (overrides \"station\")."},
        {"no-tag-block", 0, Arity::flag, "", "Never write tag blocks (times and stations are then lost)."},
        {"lf", 0, Arity::flag, "", "End lines with LF instead of NMEA's CR LF."},
        {"tag-time-ms", 0, Arity::flag, "", "Write tag-block c: in milliseconds (keeps sub-second receive times;\n"
                                            "NMEA 4 specifies seconds, which is the default)."},
        {"strict", 0, Arity::flag, "", "Stop at the first bad input line and exit 1."},
        {"stats", 0, Arity::flag, "", "Print counts as JSON on stderr at the end."},
        {"quiet", 'q', Arity::flag, "", "No summary line on stderr."},
    };
    s.examples =
        "    vesselwatch decode capture.nmea | vesselwatch encode > same-messages.nmea\n"
        "    vesselwatch encode --station SIM-demo --lf scenario.ndjson > scenario.nmea\n";
    return s;
}

Exit encode_run(const ParsedArgs& args) {
    nmea::SentenceOptions so;
    std::string talker = args.value("talker").value_or("AI");
    if (talker.size() != 2) throw ConfigError("option --talker: '" + talker + "' is not two characters");
    so.talker = talker;
    if (auto c = args.value("channel")) {
        if (*c == "none")
            so.channel = nmea::kNoChannel;
        else if (c->size() == 1 && (*c == "A" || *c == "B" || *c == "1" || *c == "2"))
            so.channel = (*c)[0];
        else
            throw ConfigError("option --channel: '" + *c + "' is not one of A, B, 1, 2, none");
    }
    if (args.has("vdo")) so.origin = nmea::Origin::own_ship;
    so.line_ending = args.has("lf") ? nmea::LineEnding::lf : nmea::LineEnding::crlf;
    const bool tag_blocks = !args.has("no-tag-block");
    if (args.has("tag-time-ms")) so.time_unit = nmea::TagTimeUnit::milliseconds;
    const std::optional<std::string> station_override = args.value("station");
    const bool strict = args.has("strict");

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

    pipeline::StreamStats stats;
    std::uint64_t sentences = 0;
    ais::JsonReader reader;
    ais::Message msg;
    ais::Payload payload;
    std::array<char, ais::kMaxArmoredChars> armored{};
    std::uint8_t next_seq = 0;
    std::uint32_t next_group = 1;

    auto emit = [&](const ais::Message& m, std::optional<std::int64_t> time_ms, std::string_view station) {
        if (ais::encode(m, payload) != ais::EncodeStatus::ok) return false;
        const ais::Armored a = ais::armor(payload, armored);
        if (a.size == 0) return false;
        nmea::SentenceOptions o = so;
        const bool multi = a.size > nmea::kMaxPayloadCharsPerSentence;
        if (multi) {
            o.sequence_id = next_seq;
            next_seq = static_cast<std::uint8_t>((next_seq + 1) % (nmea::kMaxSequenceId + 1));
            o.group_id = next_group++;
        }
        if (tag_blocks && (time_ms || !station.empty())) {
            o.tag_block = nmea::TagBlockMode::write;
            o.station = station;
            o.time_ms = time_ms;
        }
        sentences += nmea::write_sentences(out, std::string_view(armored.data(), a.size), a.fill_bits, o);
        return true;
    };

    io::InputWalker walker(inputs);
    while (io::Source* src = walker.next()) {
        stats.sources.push_back(src->name);
        io::LineReader lines(*src->bytes);
        io::Line line;
        while (lines.next(line)) {
            const auto res = reader.read(line.text, msg);
            bool ok = res.ok;
            std::string why = res.error;
            if (ok) {
                const std::optional<std::int64_t> time_ms = res.rxtime_ms;
                const std::string_view station =
                    station_override ? std::string_view(*station_override) : std::string_view(res.station);
                if (const auto* b = std::get_if<ais::StaticDataB>(&msg); b != nullptr && b->merged) {
                    const auto [a_part, b_part] = ais::split_type24(*b);
                    ok = emit(ais::Message{a_part}, time_ms, station) && emit(ais::Message{b_part}, time_ms, station);
                } else {
                    ok = emit(msg, time_ms, station);
                }
                if (!ok) why = "the message does not fit in an AIS payload";
            }
            if (ok) {
                ++stats.messages;
                continue;
            }
            stats.issues.add(Issue::bad_record);
            if (strict) throw InputError(SourceLocation{src->name, line.number, 0}, why);
        }
        stats.physical_lines += lines.lines_seen();
        stats.issues.merge(lines.issues());
    }
    out.flush();
    if (fd != 1) ::close(fd);
    if (args.has("stats")) {
        std::fputs(stats_json(stats, nullptr, 0, sentences).c_str(), stderr);
    } else if (!args.has("quiet")) {
        std::fputs(stats_summary("encode", stats, sentences).c_str(), stderr);
    }
    return Exit::ok;
}

}  // namespace vw::cli
