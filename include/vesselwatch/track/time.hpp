// UTC times as the store and its queries write and read them: Unix milliseconds <-> ISO 8601.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "vesselwatch/util/civil_time.hpp"

namespace vw::track {

/// "2021-01-06T07:33:48Z" or with milliseconds "…48.250Z" (always UTC).
[[nodiscard]] std::string format_time(std::int64_t unix_ms);

/// Parses "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS[.fff]]" with an optional "Z" or "+00:00" (UTC only),
/// or a plain Unix time in seconds ("1609459200"). nullopt when it is none of these.
[[nodiscard]] std::optional<std::int64_t> parse_time(std::string_view text);


}  // namespace vw::track
