#include "options_common.hpp"

#include <charconv>

#include "vesselwatch/util/error.hpp"

namespace vw::cli {

std::vector<OptionSpec> input_option_specs() {
    return {
        {"strict", 0, Arity::flag, "",
         "Stop at the first rejected record with 'file:line: cause' and exit 1. By default rejected\n"
         "records are counted by kind (see --stats) and processing continues."},
        {"accept-missing-checksum", 0, Arity::flag, "",
         "Accept sentences without '*hh' (some dumps strip it). Default: rejected as missing_checksum."},
        {"ignore-tagblock-checksum", 0, Arity::flag, "",
         "Accept tag blocks whose checksum does not match (some aggregators write *00)."},
        {"max-line-bytes", 0, Arity::value, "N",
         "Skip (and count as line_too_long) lines longer than N bytes. Default 65536."},
        {"max-open-groups", 0, Arity::value, "N",
         "Multi-part messages waiting for fragments at once; the oldest beyond N is expired. Default 1024."},
        {"max-group-age", 0, Arity::value, "LINES",
         "A multi-part message not completed within LINES lines is expired. Default 1000."},
        {"max-ratio", 0, Arity::value, "N",
         "Decompression-bomb guard: stop reading a compressed input whose output exceeds N times its\n"
         "compressed size (after the first 64 MiB). Default 1000; 0 disables."},
        {"progress", 0, Arity::flag, "", "Show a progress bar on stderr even when it is not a terminal."},
        {"no-progress", 0, Arity::flag, "", "Never show a progress bar (default: shown when stderr is a terminal)."},
    };
}

std::uint64_t parse_count(const std::string& option, const std::string& text) {
    std::uint64_t v = 0;
    const auto* end = text.data() + text.size();
    const auto [p, ec] = std::from_chars(text.data(), end, v);
    if (ec != std::errc() || p != end || text.empty())
        throw ConfigError("option --" + option + ": '" + text + "' is not a non-negative integer");
    return v;
}

void apply_input_options(const ParsedArgs& args, pipeline::StreamOptions& options) {
    if (args.has("strict")) options.strictness = pipeline::Strictness::fail_first;
    if (args.has("accept-missing-checksum")) options.parse.missing_checksum = nmea::MissingChecksum::accept;
    if (args.has("ignore-tagblock-checksum")) options.parse.tagblock_checksum = nmea::TagBlockChecksum::ignore;
    if (auto v = args.value("max-line-bytes")) {
        options.lines.max_line_bytes = parse_count("max-line-bytes", *v);
        if (options.lines.max_line_bytes == 0) throw ConfigError("option --max-line-bytes: must be at least 1");
    }
    if (auto v = args.value("max-open-groups")) {
        options.reassembly.max_open_groups = parse_count("max-open-groups", *v);
        if (options.reassembly.max_open_groups == 0) throw ConfigError("option --max-open-groups: must be at least 1");
    }
    if (auto v = args.value("max-group-age")) options.reassembly.max_group_age_lines = parse_count("max-group-age", *v);
    if (auto v = args.value("max-ratio")) {
        const auto r = parse_count("max-ratio", *v);
        if (r == 0)
            options.input.bomb.max_ratio.reset();
        else
            options.input.bomb.max_ratio = r;
    }
}

ProgressMode progress_mode(const ParsedArgs& args) {
    if (args.has("no-progress")) return ProgressMode::never;
    if (args.has("progress")) return ProgressMode::always;
    return ProgressMode::automatic;
}

std::bitset<64> parse_type_list(const std::string& text) {
    std::bitset<64> set;
    std::size_t start = 0;
    auto bad = [&](const std::string& why) {
        return ConfigError("option --types: '" + text + "': " + why + " (expected e.g. 1,2,3,5 or 1-3,5,24)");
    };
    while (start <= text.size()) {
        auto comma = text.find(',', start);
        if (comma == std::string::npos) comma = text.size();
        const std::string item = text.substr(start, comma - start);
        if (item.empty()) throw bad("empty item");
        const auto dash = item.find('-');
        const std::uint64_t lo = parse_count("types", item.substr(0, dash));
        const std::uint64_t hi = dash == std::string::npos ? lo : parse_count("types", item.substr(dash + 1));
        if (lo < 1 || hi > 27 || lo > hi) throw bad("message types are 1 to 27");
        for (auto t = lo; t <= hi; ++t) set.set(t);
        start = comma + 1;
    }
    return set;
}

namespace {
void json_string(std::string& s, const std::string& v) {
    s += '"';
    for (char c : v) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            s += '\\';
            s += c;
        } else if (u < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", u);
            s += buf;
        } else {
            s += c;
        }
    }
    s += '"';
}
}  // namespace

std::string stats_json(const pipeline::StreamStats& stats, const std::uint64_t* by_type, std::size_t ntypes,
                       std::uint64_t written) {
    std::string s = "{\"sources\":[";
    for (std::size_t k = 0; k < stats.sources.size(); ++k) {
        if (k) s += ',';
        json_string(s, stats.sources[k]);
    }
    s += "],\"lines\":" + std::to_string(stats.physical_lines);
    s += ",\"sentences\":" + std::to_string(stats.sentences);
    s += ",\"messages\":" + std::to_string(stats.messages);
    s += ",\"written\":" + std::to_string(written);
    s += ",\"rejected\":" + std::to_string(stats.issues.errors());
    if (by_type != nullptr) {
        s += ",\"by_type\":{";
        bool first = true;
        for (std::size_t t = 0; t < ntypes; ++t) {
            if (by_type[t] == 0) continue;
            if (!first) s += ',';
            first = false;
            s += "\"" + std::to_string(t) + "\":" + std::to_string(by_type[t]);
        }
        s += '}';
    }
    s += ",\"issues\":{";
    bool first = true;
    for (std::size_t k = 0; k < kIssueCount; ++k) {
        if (stats.issues.n[k] == 0) continue;
        if (!first) s += ',';
        first = false;
        s += "\"" + std::string(issue_name(static_cast<Issue>(k))) + "\":" + std::to_string(stats.issues.n[k]);
    }
    s += "},\"skipped_inputs\":[";
    for (std::size_t k = 0; k < stats.skipped_inputs.size(); ++k) {
        if (k) s += ',';
        s += "{\"name\":";
        json_string(s, stats.skipped_inputs[k].name);
        s += ",\"reason\":";
        json_string(s, stats.skipped_inputs[k].reason);
        s += '}';
    }
    s += "],\"failed_inputs\":[";
    for (std::size_t k = 0; k < stats.failed_inputs.size(); ++k) {
        if (k) s += ',';
        json_string(s, stats.failed_inputs[k]);
    }
    s += "]}\n";
    return s;
}

std::string stats_summary(const std::string& command, const pipeline::StreamStats& stats, std::uint64_t written) {
    std::string s = "vesselwatch " + command + ": " + std::to_string(stats.sources.size()) + " source(s), " +
                    std::to_string(stats.physical_lines) + " lines, " + std::to_string(stats.messages) +
                    " messages, " + std::to_string(written) + " written, " + std::to_string(stats.issues.errors()) +
                    " rejected";
    bool first = true;
    for (std::size_t k = 0; k < kIssueCount; ++k) {
        const auto i = static_cast<Issue>(k);
        if (stats.issues.n[k] == 0 || !issue_is_error(i)) continue;
        s += first ? " (" : ", ";
        first = false;
        s += std::string(issue_name(i)) + " " + std::to_string(stats.issues.n[k]);
    }
    if (!first) s += ')';
    s += '\n';
    for (const auto& f : stats.failed_inputs) s += "vesselwatch " + command + ": could not read " + f + "\n";
    for (const auto& sk : stats.skipped_inputs)
        s += "vesselwatch " + command + ": skipped " + sk.name + ": " + sk.reason + "\n";
    return s;
}

}  // namespace vw::cli
