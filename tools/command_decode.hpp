#pragma once

#include "command.hpp"

namespace vw::cli {

CommandSpec decode_spec();
Exit decode_run(const ParsedArgs& args);

}  // namespace vw::cli
