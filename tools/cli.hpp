// A small command-line parser that also renders man-page-like --help text. Thin adapter only:
// commands take typed values out of it and call the core library.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vw::cli {

/// Documented exit codes (docs/cli/exit-codes.md). 124-127 and 137 are avoided: timeout and shells use them.
enum class Exit : int {
    ok = 0,            // done; rejected input records (if any) are counted in the summary
    input_error = 1,   // an input could not be read, or --strict met a bad record
    usage = 2,         // bad arguments
    output_error = 3,  // writing the output failed (disk full, closed pipe)
    internal = 4,      // a bug: please report it
};

enum class Arity : std::uint8_t { flag, value, repeated };

struct OptionSpec {
    std::string long_name;   // without the leading "--"
    char short_name = 0;     // 0 = none
    Arity arity = Arity::flag;
    std::string value_name;  // e.g. "FILE"
    std::string help;
};

struct CommandSpec {
    std::string name;         // "decode"
    std::string synopsis;     // "vesselwatch decode [OPTIONS] [INPUT...]"
    std::string summary;      // one line
    std::string description;  // paragraphs, already wrapped at 100 columns
    std::vector<OptionSpec> options;
    std::string examples;     // shown under EXAMPLES
    std::string exit_status;  // shown under EXIT STATUS; defaults to the common table when empty
};

class ParsedArgs {
public:
    [[nodiscard]] bool has(std::string_view name) const;
    [[nodiscard]] std::optional<std::string> value(std::string_view name) const;
    [[nodiscard]] std::vector<std::string> values(std::string_view name) const;
    [[nodiscard]] const std::vector<std::string>& positional() const noexcept { return positional_; }

private:
    friend ParsedArgs parse(const CommandSpec&, const std::vector<std::string>&);
    std::map<std::string, std::vector<std::string>, std::less<>> values_;
    std::vector<std::string> positional_;
};

/// Parses `args` (without the program and command names). Throws vw::ConfigError on unknown
/// options or missing values. "--help"/"-h" is always accepted as a flag.
ParsedArgs parse(const CommandSpec& spec, const std::vector<std::string>& args);

/// The man-page-like help for a command.
std::string render_help(const CommandSpec& spec);

/// The common EXIT STATUS section.
std::string common_exit_status();

/// True when the file descriptor is a terminal.
bool is_terminal(int fd);

}  // namespace vw::cli
