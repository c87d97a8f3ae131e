// RFC 4180 records from memory, as the list files and batch queries use them: quoted fields with ""
// escapes and embedded line breaks, CRLF or LF, a trailing DOS end-of-file byte (0x1A) ignored.
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

    /// Reads the next record. On Status::bad, error() says why and reading continues at the next line.
    Status next(std::vector<std::string>& fields);
    /// 1-based line where the last record started.
    [[nodiscard]] std::uint64_t line() const noexcept { return record_line_; }
    [[nodiscard]] const std::string& error() const noexcept { return error_; }

private:
    std::string_view data_;
    std::size_t pos_ = 0;
    std::uint64_t next_line_ = 1;
    std::uint64_t record_line_ = 0;
    std::string error_;
};

}  // namespace vw::screen
