#include "vesselwatch/screen/csv_records.hpp"

namespace vw::screen {

namespace {
constexpr char kDosEof = '\x1a';
}

CsvRecords::Status CsvRecords::next(std::vector<std::string>& fields) {
    fields.clear();
    error_.clear();
    // skip empty lines and a final DOS end-of-file marker
    while (pos_ < data_.size()) {
        const char c = data_[pos_];
        if (c == '\n') {
            ++next_line_;
            ++pos_;
        } else if (c == '\r' || c == kDosEof) {
            ++pos_;
        } else {
            break;
        }
    }
    if (pos_ >= data_.size()) return Status::end;
    record_line_ = next_line_;
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
            for (;;) {
                if (pos_ >= data_.size()) {
                    error_ = "unterminated quoted field";
                    fields.push_back(std::move(field));
                    return Status::bad;
                }
                const char q = data_[pos_++];
                if (q == '"') {
                    if (pos_ < data_.size() && data_[pos_] == '"') {
                        field.push_back('"');
                        ++pos_;
                        continue;
                    }
                    break;
                }
                if (q == '\n') ++next_line_;
                field.push_back(q);
            }
            // after the closing quote: spaces, then a separator or the end of the line
            while (pos_ < data_.size() && data_[pos_] == ' ') ++pos_;
            if (pos_ < data_.size() && data_[pos_] != ',' && data_[pos_] != '\n' && data_[pos_] != '\r') {
                error_ = "text after a closing quote";
                while (pos_ < data_.size() && data_[pos_] != '\n') ++pos_;
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
            if (c == '\r') ++pos_;
            if (pos_ < data_.size() && data_[pos_] == '\n') {
                ++pos_;
                ++next_line_;
            }
            fields.push_back(std::move(field));
            return Status::record;
        }
        if (quoted_field) {
            error_ = "text after a closing quote";
            while (pos_ < data_.size() && data_[pos_] != '\n') ++pos_;
            return Status::bad;
        }
        field.push_back(c);
        ++pos_;
    }
}

}  // namespace vw::screen
