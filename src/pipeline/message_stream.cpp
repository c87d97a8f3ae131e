#include "vesselwatch/pipeline/message_stream.hpp"

namespace vw::pipeline {

void fail_strict(const std::string& source, std::uint64_t line, Issue issue) {
    std::string cause = "rejected record (" + std::string(issue_name(issue)) + ")";
    if (line == 0) cause += " [counted at the end of the input; run without --strict and see --stats]";
    throw InputError(SourceLocation{source, line, 0}, cause);
}

void report_failed_input(StreamStats& stats, const std::string& what) { stats.failed_inputs.push_back(what); }

io::Source* next_input(io::InputWalker& walker, bool strict, StreamStats& stats) {
    for (;;) {
        try {
            return walker.next();
        } catch (const IoError& e) {
            if (strict) throw;
            report_failed_input(stats, e.what());
        }
    }
}

}  // namespace vw::pipeline
