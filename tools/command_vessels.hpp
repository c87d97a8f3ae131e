#pragma once

#include "command.hpp"

namespace vw::cli {

CommandSpec vessels_spec();
Exit vessels_run(const ParsedArgs& args);

}  // namespace vw::cli
