// Per-test temporary directories. ctest runs each case of the unit binary as its own process, in
// parallel, so two cases must never share a file name: each gets VW_TEST_TMP/<area>/<Suite>.<Test>.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <string_view>

namespace vw::test {

/// VW_TEST_TMP/<area>/<Suite>.<Test> of the running test (not created).
inline std::filesystem::path test_case_dir(std::string_view area) {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    return std::filesystem::path(VW_TEST_TMP) / std::string(area) /
           (std::string(info->test_suite_name()) + "." + info->name());
}

/// The same directory, emptied and created.
inline std::filesystem::path fresh_test_case_dir(std::string_view area) {
    const auto d = test_case_dir(area);
    std::filesystem::remove_all(d);
    std::filesystem::create_directories(d);
    return d;
}

}  // namespace vw::test
