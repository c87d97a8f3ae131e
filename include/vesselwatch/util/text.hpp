// Text the CLI writes is UTF-8, whatever bytes the inputs held.
//
// The store keeps names, call signs, destinations and paths as the source gave them (a CSV dump in
// Latin-1, a JSON row with a stray byte, a file name that is not UTF-8), so that what is stored can be
// traced back to its line unchanged. Every writer of JSON, CSV, GeoPackage or text output passes those
// strings through the functions here, which replace each ill-formed UTF-8 sequence with U+FFFD.
//
// Replacement follows the Unicode Standard's recommended practice (chapter 3, "U+FFFD Substitution of
// Maximal Subparts"): each maximal subpart of an ill-formed sequence becomes one U+FFFD. This is what
// Python's `bytes.decode("utf-8", "replace")`, ICU and the WHATWG encoding standard do, so a name reads
// the same in vesselwatch's output and in the analyst's tools.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace vw {

/// The UTF-8 encoding of U+FFFD REPLACEMENT CHARACTER.
inline constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";

/// True when `s` is well-formed UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF).
[[nodiscard]] bool is_valid_utf8(std::string_view s) noexcept;

/// The UTF-8 sequence at the start of `s` (not empty): its length when it is well-formed (1 for
/// ASCII), or minus the length of its maximal ill-formed subpart (the bytes one U+FFFD replaces).
[[nodiscard]] int utf8_sequence_at(std::string_view s) noexcept;

/// Appends `s` to `out`, each maximal subpart of an ill-formed sequence replaced by U+FFFD.
/// Returns the number of replacements made.
std::size_t append_utf8_replacing(std::string& out, std::string_view s);

/// `s` with ill-formed sequences replaced (a copy of `s` when it is well-formed).
[[nodiscard]] std::string utf8_replacing(std::string_view s);

/// Appends `s` as a JSON string (RFC 8259): quoted; `"` and `\` escaped; control characters below
/// U+0020 as `\n`, `\r`, `\t` or `\u00XX`; ill-formed UTF-8 replaced by U+FFFD. The result is always
/// valid JSON and valid UTF-8.
void append_json_string(std::string& out, std::string_view s);

/// Appends `s` as one CSV field (RFC 4180): quoted when it holds a comma, a quote or a line end,
/// quotes doubled; ill-formed UTF-8 replaced by U+FFFD.
void append_csv_field(std::string& out, std::string_view s);

}  // namespace vw
