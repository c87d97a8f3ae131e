#pragma once

#include "command.hpp"

namespace vw::cli {

CommandSpec raw_spec();
Exit raw_run(const ParsedArgs& args);

}  // namespace vw::cli
