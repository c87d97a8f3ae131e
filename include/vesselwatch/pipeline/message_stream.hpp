// Raw inputs -> complete AIS payloads with their provenance: io (files, archives, lines) + nmea
// (sentences, tag blocks, reassembly), glued once so that `decode`, `ingest` and the benchmarks share
// exactly the same counting rules. Each complete message goes to a sink chosen at compile time.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "vesselwatch/io/input.hpp"
#include "vesselwatch/io/line_reader.hpp"
#include "vesselwatch/nmea/reassembler.hpp"
#include "vesselwatch/nmea/sentence.hpp"
#include "vesselwatch/util/error.hpp"
#include "vesselwatch/util/issues.hpp"

namespace vw::pipeline {

/// What the first bad record does.
enum class Strictness : std::uint8_t {
    count_and_skip,  ///< count it by kind and go on (default)
    fail_first,      ///< throw vw::InputError with file:line and the cause
};

struct StreamOptions {
    io::InputOptions input;
    io::LineOptions lines;
    nmea::ParseOptions parse;
    nmea::ReassemblerOptions reassembly;
    Strictness strictness = Strictness::count_and_skip;
    /// Called about every kProgressEveryLines lines and at the end of each source.
    std::function<void(const std::string& source, const io::Progress&, std::uint64_t lines)> progress;
};

inline constexpr std::uint64_t kProgressEveryLines = std::uint64_t{1} << 16;

struct StreamStats {
    std::vector<std::string> sources;  ///< logical sources read, in order
    std::vector<io::SkippedInput> skipped_inputs;
    std::vector<std::string> failed_inputs;  ///< "name: cause" for inputs that could not be read
    std::uint64_t physical_lines = 0;
    std::uint64_t sentences = 0;  ///< AIS sentences parsed (fragments included)
    std::uint64_t messages = 0;   ///< complete payloads handed to the sink
    /// Of those, the plain single-part sentences taken straight from their line to their message (see
    /// stream_source): the same messages and counts as the general path; a figure for tests and tuning.
    std::uint64_t plain_messages = 0;
    /// Lines of other talkers' sentences counted (Issue::non_ais_sentence) by that loop without the
    /// parser: a figure for tests and tuning, like plain_messages.
    std::uint64_t plain_non_ais = 0;
    IssueCounts issues;
};

/// Source name and provenance of one complete message.
struct MessageOrigin {
    const std::string& source;  ///< display name of the logical source
    const nmea::Message& nmea;  ///< payload, fill bits, times, station, fragment line numbers
};

/// The counting rules shared by every reader of raw inputs (NMEA here, decoded dumps in track ingest):
/// under Strictness::fail_first the first error stops with source:line and the issue kind (line 0:
/// counted at the end of the input); an input that cannot be read is recorded in stats.failed_inputs.
[[noreturn]] void fail_strict(const std::string& source, std::uint64_t line, Issue issue);
void report_failed_input(StreamStats& stats, const std::string& what);
/// The next input of `walker`, or nullptr after the last. An input that cannot be opened is recorded
/// (report_failed_input) and skipped, or under `strict` its IoError is thrown.
[[nodiscard]] io::Source* next_input(io::InputWalker& walker, bool strict, StreamStats& stats);

namespace detail {

/// Streams one logical source through line splitting, sentence parsing and reassembly into `sink`;
/// the body shared by both for_each_message() overloads. Read faults propagate as vw::IoError.
template <class Sink>
void stream_source(io::ByteSource& bytes, const std::string& name, std::uint32_t source_id,
                   nmea::Reassembler& reassembler, const StreamOptions& options, StreamStats& stats, Sink& sink) {
    const bool strict = options.strictness == Strictness::fail_first;
    auto count = [&](std::uint64_t line, Issue issue) {
        stats.issues.add(issue);
        if (strict && issue_is_error(issue)) fail_strict(name, line, issue);
    };
    nmea::LineContext ctx(options.parse);
    nmea::Sentence sentence;
    const IssueCounts before_reassembly = reassembler.issues();
    std::uint64_t next_progress = kProgressEveryLines;
    io::LineReader reader(bytes, options.lines);
    io::Line line;
    constexpr std::uint64_t last_rejected_seen = 0;  // strict mode stops at the first
    // Every unit of a line through the Sentence parser and the reassembler.
    auto parse_units = [&](const io::Line& l) {
        for (nmea::ParseResult r = ctx.parse_line(l.text, sentence); r.status != nmea::LineStatus::end_of_line;
             r = ctx.next_unit(sentence)) {
            if (r.status == nmea::LineStatus::issue) [[unlikely]] {
                count(l.number, r.issue);
                continue;
            }
            if (r.status != nmea::LineStatus::sentence) continue;
            ++stats.sentences;
            const auto added = reassembler.add(sentence, nmea::FragmentOrigin{source_id, l.number});
            if (added == nmea::AddStatus::complete) [[likely]] {
                ++stats.messages;
                const auto& msg = reassembler.message();
                if (const std::optional<Issue> issue = sink(MessageOrigin{name, msg})) [[unlikely]]
                    count(msg.first_line(), *issue);
            } else if (added == nmea::AddStatus::rejected && strict) {
                const IssueCounts now = reassembler.issues();
                for (std::size_t k = 0; k < kIssueCount; ++k)
                    if (now.n[k] != before_reassembly.n[k]) fail_strict(name, l.number, static_cast<Issue>(k));
            }
        }
    };
    while (reader.next(line)) {
        if (strict && reader.last_rejected().number != last_rejected_seen) [[unlikely]]
            fail_strict(name, reader.last_rejected().number, reader.last_rejected().issue);
        // The commonest line, one plain single-part sentence, goes straight to its message: the same
        // counts and message as parse_units() would give it through a Sentence and add() (tests:
        // tests/unit/pipeline/test_message_stream.cpp compares the two, on made streams and on every
        // line of the shared captures). Lines that pass the test but are not taken here (fragments of
        // multi-part messages, any sentence while a group is open) are read again by parse_line().
        nmea::detail::VdmFields plain;
        if (line.text[0] == '!' && nmea::detail::parse_vdm_exact(line.text, plain) && plain.fragment_count == 1 &&
            reassembler.open_groups() == 0) [[likely]] {
            ++stats.sentences;
            ++stats.messages;
            ++stats.plain_messages;
            std::int64_t pghp_time_ms = 0;
            const bool timed = ctx.take_whole_line(pghp_time_ms);
            const auto& msg = reassembler.plain_single(line.text, plain, timed, pghp_time_ms,
                                                       nmea::FragmentOrigin{source_id, line.number});
            if (const std::optional<Issue> issue = sink(MessageOrigin{name, msg})) [[unlikely]]
                count(line.number, *issue);
        } else if (line.text[0] == '$' && nmea::detail::is_plain_non_ais_line(line.text)) {
            // Another talker's sentence (a quarter of the lines of some feeds): counted, as
            // parse_line() would count it, without a call into the parser.
            ctx.skip_line();
            ++stats.plain_non_ais;
            count(line.number, Issue::non_ais_sentence);
        } else {
            parse_units(line);
        }
        if (line.number >= next_progress && options.progress) [[unlikely]] {
            next_progress = line.number + kProgressEveryLines;
            options.progress(name, reader.progress(), line.number);
        }
    }
    if (strict && reader.last_rejected().number != last_rejected_seen)
        fail_strict(name, reader.last_rejected().number, reader.last_rejected().issue);
    stats.physical_lines += reader.lines_seen();
    const IssueCounts& line_issues = reader.issues();
    for (std::size_t k = 0; k < kIssueCount; ++k) {
        if (line_issues.n[k] == 0) continue;
        if (strict && issue_is_error(static_cast<Issue>(k))) fail_strict(name, 0, static_cast<Issue>(k));
        stats.issues.n[k] += line_issues.n[k];
    }
    if (options.progress) options.progress(name, reader.progress(), reader.lines_seen());
}

/// After a source: what is still open is orphaned (a message never spans two sources).
inline void close_source(nmea::Reassembler& reassembler, const IssueCounts& before, std::uint32_t source_id,
                         const std::string& name, bool strict) {
    reassembler.flush(source_id);
    if (!strict) return;
    const IssueCounts now = reassembler.issues();
    for (std::size_t k = 0; k < kIssueCount; ++k)
        if (now.n[k] != before.n[k]) fail_strict(name, 0, static_cast<Issue>(k));
}

}  // namespace detail

/// Reads every input in `arguments` (files, directories, "-") and calls `sink(const MessageOrigin&)`
/// for each complete message. The sink returns std::optional<vw::Issue>: the payload-level issue it
/// found (counted here; fatal under Strictness::fail_first when it is an error), or nullopt.
/// An input that cannot be opened or read is recorded in stats.failed_inputs and the others are
/// still processed (under fail_first it throws).
template <class Sink>
void for_each_message(const std::vector<std::string>& arguments, const StreamOptions& options,
                      StreamStats& stats, Sink&& sink) {
    io::InputWalker walker(arguments, options.input);
    nmea::Reassembler reassembler(options.reassembly);
    const bool strict = options.strictness == Strictness::fail_first;
    std::uint32_t source_id = 0;
    while (io::Source* src = next_input(walker, strict, stats)) {
        ++source_id;
        stats.sources.push_back(src->name);
        const std::string& name = stats.sources.back();
        const IssueCounts before = reassembler.issues();
        try {
            detail::stream_source(*src->bytes, name, source_id, reassembler, options, stats, sink);
        } catch (const InputError&) {
            throw;
        } catch (const OutputError&) {
            throw;  // the sink's output (e.g. the store on a full disk) failed: not this input's fault
        } catch (const IoError& e) {
            if (strict) throw;
            report_failed_input(stats, e.what());
        }
        detail::close_source(reassembler, before, source_id, name, strict);
    }
    stats.issues.merge(reassembler.issues());
    for (const auto& s : walker.skipped()) stats.skipped_inputs.push_back(s);
}

/// One already-open source (a file, a socket, bytes in memory), named by source.name(): the same
/// counting rules as the overload above. Read faults propagate as vw::IoError.
template <class Sink>
void for_each_message(io::ByteSource& source, const StreamOptions& options, StreamStats& stats, Sink&& sink) {
    nmea::Reassembler reassembler(options.reassembly);
    constexpr std::uint32_t kSourceId = 1;
    stats.sources.push_back(source.name());
    const std::string& name = stats.sources.back();
    const IssueCounts before = reassembler.issues();
    detail::stream_source(source, name, kSourceId, reassembler, options, stats, sink);
    detail::close_source(reassembler, before, kSourceId, name, options.strictness == Strictness::fail_first);
    stats.issues.merge(reassembler.issues());
}

}  // namespace vw::pipeline
