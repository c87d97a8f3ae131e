// Options shared by the commands that read raw AIS (decode now; ingest later): how input is read and
// how bad records are treated. Parsed once here so every command documents and applies them alike.
#pragma once

#include <bitset>
#include <string>
#include <vector>

#include "cli.hpp"
#include "progress.hpp"
#include "vesselwatch/pipeline/message_stream.hpp"

namespace vw::track {
class Store;
}

namespace vw::cli {

/// Prints the SIMULATED banner on stderr when the store holds messages from `vesselwatch simulate`;
/// returns their number. Every report made from such a store says so (issue 4).
std::uint64_t warn_if_simulated(track::Store& store);

/// The OptionSpec entries for reading raw AIS input.
std::vector<OptionSpec> input_option_specs();

/// Applies them to `options`; throws ConfigError on bad values.
void apply_input_options(const ParsedArgs& args, pipeline::StreamOptions& options);

/// --progress / --no-progress
ProgressMode progress_mode(const ParsedArgs& args);

/// "1,2,3,5" or "1-3,5,24" -> set of message types 1..27. Throws ConfigError.
std::bitset<64> parse_type_list(const std::string& text);

/// Parses a non-negative integer option value. Throws ConfigError naming the option.
std::uint64_t parse_count(const std::string& option, const std::string& text);

/// The --stats JSON of a stream run (plus per-type counts when given).
std::string stats_json(const pipeline::StreamStats& stats, const std::uint64_t* by_type, std::size_t ntypes,
                       std::uint64_t written);

/// One human line of summary for stderr.
std::string stats_summary(const std::string& command, const pipeline::StreamStats& stats, std::uint64_t written);

}  // namespace vw::cli
