// Sentence writer for the encoder: an armored payload -> one or more !xxVDM/VDO sentences, with an
// optional NMEA 4 tag block, correct checksums, and the chosen line ending.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "vesselwatch/nmea/sentence.hpp"
#include "vesselwatch/util/output.hpp"

namespace vw::nmea {

/// Payload characters per sentence: keeps a VDM sentence within NMEA's 82-character limit.
inline constexpr std::size_t kMaxPayloadCharsPerSentence = 60;
inline constexpr std::uint8_t kMaxSequenceId = 9;

enum class LineEnding : std::uint8_t { crlf, lf };
/// Unit of the tag-block c: field written.
enum class TagTimeUnit : std::uint8_t { seconds, milliseconds };
/// Whether to write a tag block (s:/c: on the first sentence, g: on every sentence of a multi-part
/// message, s: on every sentence so that readers keying on the station still join them).
enum class TagBlockMode : std::uint8_t { none, write };

struct SentenceOptions {
    std::string_view talker = "AI";  ///< exactly two characters; anything else is written as "AI"
    Origin origin = Origin::other_ship;
    char channel = 'A';  ///< kNoChannel writes an empty field
    /// Sequential message id for multi-part messages; absent -> SentenceWriter cycles 0..9
    /// (write_sentences without a writer uses 0).
    std::optional<std::uint8_t> sequence_id;
    LineEnding line_ending = LineEnding::crlf;
    TagBlockMode tag_block = TagBlockMode::none;
    std::string_view station;                      ///< s: (omitted when empty)
    std::optional<std::int64_t> time_ms;           ///< c:
    TagTimeUnit time_unit = TagTimeUnit::seconds;  ///< seconds truncate ms
    std::uint32_t group_id = 0;                    ///< g: id of a multi-part message
};

/// Writes `armored_payload` (fill_bits 0..5, clamped) as sentences. Returns how many were written.
std::size_t write_sentences(OutBuffer& out, std::string_view armored_payload, unsigned fill_bits,
                            const SentenceOptions& options);

/// Stateful writer: cycles the sequential id 0..9 and the tag-block group id across messages.
class SentenceWriter {
public:
    explicit SentenceWriter(SentenceOptions defaults = {}) : defaults_(defaults) {}

    std::size_t write(OutBuffer& out, std::string_view armored_payload, unsigned fill_bits,
                      std::optional<std::int64_t> time_ms = std::nullopt);

private:
    SentenceOptions defaults_;
    std::uint8_t next_sequence_id_ = 0;
    std::uint32_t next_group_id_ = 1;
};

}  // namespace vw::nmea
