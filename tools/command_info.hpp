#pragma once

#include "command.hpp"

namespace vw::cli {

CommandSpec info_spec();
Exit info_run(const ParsedArgs& args);

}  // namespace vw::cli
