#include "progress.hpp"

#include <cstdio>

#include "cli.hpp"

namespace vw::cli {

namespace {
constexpr auto kRedrawInterval = std::chrono::milliseconds(200);
constexpr int kBarWidthChars = 30;
constexpr double kBytesPerMiB = 1024.0 * 1024.0;
}  // namespace

ProgressBar::ProgressBar(ProgressMode mode)
    : enabled_(mode == ProgressMode::always || (mode == ProgressMode::automatic && is_terminal(2))),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

ProgressBar::~ProgressBar() { finish(); }

void ProgressBar::update(const std::string& source, std::uint64_t consumed_bytes,
                         std::optional<std::uint64_t> total_bytes, std::uint64_t lines) {
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    if (drawn_ && now - last_draw_ < kRedrawInterval) return;
    last_draw_ = now;
    drawn_ = true;
    const double secs = std::chrono::duration<double>(now - start_).count();
    const double mib_s = secs > 0 ? static_cast<double>(consumed_bytes) / kBytesPerMiB / secs : 0.0;
    std::string name = source.size() > 32 ? "..." + source.substr(source.size() - 29) : source;
    if (total_bytes && *total_bytes > 0) {
        const double frac = static_cast<double>(consumed_bytes) / static_cast<double>(*total_bytes);
        const int filled = static_cast<int>(frac * kBarWidthChars);
        std::string bar(static_cast<std::size_t>(kBarWidthChars), ' ');
        for (int k = 0; k < filled && k < kBarWidthChars; ++k) bar[static_cast<std::size_t>(k)] = '#';
        const double eta = frac > 0 ? secs * (1.0 - frac) / frac : 0.0;
        std::fprintf(stderr, "\r%-32s [%s] %5.1f%% %8.1f MiB/s %12llu lines  ETA %5.0fs ", name.c_str(),
                     bar.c_str(), 100.0 * frac, mib_s, static_cast<unsigned long long>(lines), eta);
    } else {
        std::fprintf(stderr, "\r%-32s %8.1f MiB/s %12llu lines ", name.c_str(), mib_s,
                     static_cast<unsigned long long>(lines));
    }
    std::fflush(stderr);
}

void ProgressBar::finish() {
    if (enabled_ && drawn_) {
        std::fprintf(stderr, "\r\033[K");
        std::fflush(stderr);
        drawn_ = false;
    }
}

}  // namespace vw::cli
