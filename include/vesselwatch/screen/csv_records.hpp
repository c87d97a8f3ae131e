// RFC 4180 records from memory, as the list files and batch queries use them: quoted fields with ""
// escapes and embedded line breaks (at most 64 lines / 1 MiB per field), LF, CRLF or a lone CR ending a
// line, a trailing DOS end-of-file byte (0x1A) ignored.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vw::screen {

class CsvRecords {
public:
    enum class Status : std::uint8_t { record, end, bad };

    explicit CsvRecords(std::string_view data) noexcept : data_(data) {}

    /// Reads the next record. On Status::bad, error() says why and reading continues at the next line
    /// (for an unclosed quote: the line after the one where the bad record started).
    Status next(std::vector<std::string>& fields);
    /// 1-based line where the last record started.
    [[nodiscard]] std::uint64_t line() const noexcept { return record_line_; }
    [[nodiscard]] const std::string& error() const noexcept { return error_; }

private:
    [[nodiscard]] bool line_end_at(std::size_t i) const noexcept;
    void resume_after_first_line(std::size_t record_start) noexcept;

    std::string_view data_;
    std::size_t pos_ = 0;
    std::uint64_t next_line_ = 1;
    std::uint64_t record_line_ = 0;
    std::string error_;
};

/// True when a record holds NUL or another control byte (0x00-0x08, 0x0B, 0x0C, 0x0E-0x1F, 0x7F):
/// binary garbage, which the list loaders skip and count as io::LineReader does for line-based
/// inputs. TAB, CR and LF (inside quoted fields) are text.
[[nodiscard]] bool has_control_bytes(const std::vector<std::string>& fields) noexcept;

}  // namespace vw::screen
