#pragma once

#include "command.hpp"

namespace vw::cli {

CommandSpec simulate_spec();
Exit simulate_run(const ParsedArgs& args);

}  // namespace vw::cli
