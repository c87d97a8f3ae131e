// The contract every subcommand implements (one command_<verb>.{hpp,cpp} per verb).
#pragma once

#include <string>
#include <vector>

#include "cli.hpp"

namespace vw::cli {

struct Command {
    CommandSpec (*spec)();
    Exit (*run)(const ParsedArgs& args);
};

/// All subcommands, in the order `vesselwatch --help` lists them.
const std::vector<Command>& commands();

}  // namespace vw::cli
