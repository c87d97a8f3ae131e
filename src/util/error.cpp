#include "vesselwatch/util/error.hpp"

namespace vw {

std::string SourceLocation::to_string() const {
    std::string s;
    s.append(file.empty() ? std::string_view("<input>") : std::string_view(file));
    if (line > 0) {
        s.push_back(':');
        s.append(std::to_string(line));
        if (column > 0) {
            s.push_back(':');
            s.append(std::to_string(column));
        }
    }
    return s;
}

Error::Error(const std::string& message) : std::runtime_error(message), message_(message) {}

Error::Error(SourceLocation where, const std::string& message)
    : std::runtime_error(where.to_string() + ": " + message), where_(std::move(where)), message_(message) {}

}  // namespace vw
