#include "command.hpp"
#include "command_decode.hpp"
#include "command_encode.hpp"

namespace vw::cli {

const std::vector<Command>& commands() {
    static const std::vector<Command> all = {
        {decode_spec, decode_run},
        {encode_spec, encode_run},
    };
    return all;
}

}  // namespace vw::cli
