#pragma once

#include "command.hpp"

namespace vw::cli {

CommandSpec encode_spec();
Exit encode_run(const ParsedArgs& args);

}  // namespace vw::cli
