// The one small exception hierarchy of vesselwatch. Only I/O, configuration and internal
// faults throw; malformed input records are counted by kind, never thrown (see nmea/errors.hpp).
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace vw {

/// Where in the input a fault happened. `line` and `column` are 1-based; 0 means unknown.
struct SourceLocation {
    std::string file;
    std::uint64_t line = 0;
    std::uint32_t column = 0;

    [[nodiscard]] std::string to_string() const;
};

/// Base of every exception vesselwatch throws. what() is "file:line:column: message".
class Error : public std::runtime_error {
public:
    explicit Error(const std::string& message);
    Error(SourceLocation where, const std::string& message);

    [[nodiscard]] const SourceLocation& where() const noexcept { return where_; }
    [[nodiscard]] const std::string& message() const noexcept { return message_; }

private:
    SourceLocation where_;
    std::string message_;
};

/// Reading or writing a file failed (missing, unreadable, disk full, decompression error, limits).
class IoError : public Error {
public:
    using Error::Error;
};

/// Writing an output failed (disk full, closed pipe). Distinct from reading, for the exit code.
class OutputError : public IoError {
public:
    using IoError::IoError;
};

/// Malformed input that makes continuing meaningless (e.g. --strict mode, broken archive).
class InputError : public Error {
public:
    using Error::Error;
};

/// Bad command-line arguments or configuration.
class ConfigError : public Error {
public:
    using Error::Error;
};

}  // namespace vw
