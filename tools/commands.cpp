#include "command.hpp"
#include "command_decode.hpp"
#include "command_encode.hpp"
#include "command_lists.hpp"
#include "command_screen.hpp"
#include "command_simulate.hpp"
#include "command_info.hpp"
#include "command_ingest.hpp"
#include "command_raw.hpp"
#include "command_track.hpp"
#include "command_vessels.hpp"

namespace vw::cli {

const std::vector<Command>& commands() {
    static const std::vector<Command> all = {
        {decode_spec, decode_run},
        {encode_spec, encode_run},
        {lists_spec, lists_run},
        {screen_spec, screen_run},
        {ingest_spec, ingest_run},
        {track_spec, track_run},
        {vessels_spec, vessels_run},
        {info_spec, info_run},
        {raw_spec, raw_run},
        {simulate_spec, simulate_run},
    };
    return all;
}

}  // namespace vw::cli
