// vesselwatch screen: match names and identifiers against the imported sanctions lists.
#pragma once

#include "cli.hpp"

namespace vw::cli {

CommandSpec screen_spec();
Exit screen_run(const ParsedArgs& args);

}  // namespace vw::cli
