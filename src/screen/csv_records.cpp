#include "vesselwatch/screen/csv_records.hpp"

namespace vw::screen {

namespace {
constexpr char kDosEof = '\x1a';
/// A quoted field may hold line breaks (addresses, remarks), but one that runs past this many lines or
/// bytes is taken for an unclosed quote: the record is reported bad and reading resumes on the line
/// after the one where it started, so one stray quote cannot swallow the rest of the file.
constexpr std::uint64_t kMaxQuotedLines = 64;
constexpr std::size_t kMaxQuotedBytes = std::size_t{1} << 20;
}  // namespace

bool CsvRecords::line_end_at(std::size_t i) const noexcept {
    // LF, CRLF (counted at its LF) and a lone CR each end one line
    return data_[i] == '\n' || (data_[i] == '\r' && (i + 1 >= data_.size() || data_[i + 1] != '\n'));
}

void CsvRecords::resume_after_first_line(std::size_t record_start) noexcept {
    pos_ = record_start;
    while (pos_ < data_.size() && !line_end_at(pos_)) ++pos_;
    if (pos_ < data_.size()) ++pos_;
    next_line_ = record_line_ + 1;
}

CsvRecords::Status CsvRecords::next(std::vector<std::string>& fields) {
    fields.clear();
    error_.clear();
    // skip empty lines and a final DOS end-of-file marker
    while (pos_ < data_.size()) {
        const char c = data_[pos_];
        if (c == '\n' || c == '\r') {
            if (line_end_at(pos_)) ++next_line_;
            ++pos_;
        } else if (c == kDosEof) {
            ++pos_;
        } else {
            break;
        }
    }
    if (pos_ >= data_.size()) return Status::end;
    record_line_ = next_line_;
    const std::size_t record_start = pos_;
    std::string field;
    bool quoted_field = false;
    for (;;) {
        if (pos_ >= data_.size()) {
            fields.push_back(std::move(field));
            return Status::record;
        }
        const char c = data_[pos_];
        if (c == '"' && field.empty() && !quoted_field) {
            // quoted field
            quoted_field = true;
            ++pos_;
            const std::uint64_t first_line = next_line_;
            for (;;) {
                if (pos_ >= data_.size() || next_line_ - first_line > kMaxQuotedLines ||
                    field.size() > kMaxQuotedBytes) {
                    error_ = pos_ >= data_.size() ? "unterminated quoted field"
                                                  : "quoted field longer than 64 lines or 1 MiB (unclosed quote?)";
                    fields.push_back(std::move(field));
                    resume_after_first_line(record_start);
                    return Status::bad;
                }
                if (line_end_at(pos_)) ++next_line_;
                const char q = data_[pos_++];
                if (q == '"') {
                    if (pos_ < data_.size() && data_[pos_] == '"') {
                        field.push_back('"');
                        ++pos_;
                        continue;
                    }
                    break;
                }
                field.push_back(q);
            }
            // after the closing quote: spaces, then a separator or the end of the line
            while (pos_ < data_.size() && data_[pos_] == ' ') ++pos_;
            if (pos_ < data_.size() && data_[pos_] != ',' && data_[pos_] != '\n' && data_[pos_] != '\r') {
                error_ = "text after a closing quote";
                while (pos_ < data_.size() && !line_end_at(pos_)) ++pos_;
                return Status::bad;
            }
            continue;
        }
        if (c == ',') {
            fields.push_back(std::move(field));
            field.clear();
            quoted_field = false;
            ++pos_;
            continue;
        }
        if (c == '\n' || c == '\r') {
            ++pos_;
            if (c == '\r' && pos_ < data_.size() && data_[pos_] == '\n') ++pos_;
            ++next_line_;
            fields.push_back(std::move(field));
            return Status::record;
        }
        if (quoted_field) {
            error_ = "text after a closing quote";
            while (pos_ < data_.size() && !line_end_at(pos_)) ++pos_;
            return Status::bad;
        }
        field.push_back(c);
        ++pos_;
    }
}

bool has_control_bytes(const std::vector<std::string>& fields) noexcept {
    for (const auto& f : fields)
        for (const char ch : f) {
            const auto c = static_cast<unsigned char>(ch);
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) return true;
        }
    return false;
}

}  // namespace vw::screen
