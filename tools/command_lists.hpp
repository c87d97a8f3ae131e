// vesselwatch lists: import, show, diff and fetch sanctions lists.
#pragma once

#include "cli.hpp"

namespace vw::cli {

CommandSpec lists_spec();
Exit lists_run(const ParsedArgs& args);

}  // namespace vw::cli
