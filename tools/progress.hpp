// A progress bar on stderr for long work: shown only when stderr is a terminal (or forced), quiet
// otherwise. Throughput and ETA come from bytes consumed of the underlying file.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace vw::cli {

enum class ProgressMode : std::uint8_t { automatic, always, never };

class ProgressBar {
public:
    explicit ProgressBar(ProgressMode mode);
    ~ProgressBar();
    ProgressBar(const ProgressBar&) = delete;
    ProgressBar& operator=(const ProgressBar&) = delete;

    /// Updates the bar (rate-limited to a few redraws per second).
    void update(const std::string& source, std::uint64_t consumed_bytes, std::optional<std::uint64_t> total_bytes,
                std::uint64_t lines);
    /// Clears the bar line.
    void finish();
    [[nodiscard]] bool enabled() const noexcept { return enabled_; }

private:
    bool enabled_ = false;
    bool drawn_ = false;
    std::chrono::steady_clock::time_point start_;
    std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace vw::cli
