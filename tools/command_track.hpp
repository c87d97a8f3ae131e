#pragma once

#include "command.hpp"

namespace vw::cli {

CommandSpec track_spec();
Exit track_run(const ParsedArgs& args);

}  // namespace vw::cli
