#pragma once

#include "command.hpp"

namespace vw::cli {

CommandSpec ingest_spec();
Exit ingest_run(const ParsedArgs& args);

}  // namespace vw::cli
