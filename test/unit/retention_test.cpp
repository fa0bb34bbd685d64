// Tests of the retention core: r[1] = any(c1), r[i] = any(c1) AND any(ci).
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "core/error.hpp"
#include "core/retention.hpp"

namespace {

std::uint64_t fold(const std::vector<std::uint64_t>& row_masks) {
    std::uint64_t s = 0;
    for (auto m : row_masks) s = pgf::retention_add(s, m);
    return s;
}

TEST(Retention, FirstConditionGatesTheRest) {
    EXPECT_EQ(pgf::retention_result(fold({0b001, 0b100}), 3), (std::vector<bool>{true, false, true}));
    EXPECT_EQ(pgf::retention_result(fold({0b110}), 3), (std::vector<bool>{false, false, false}));
    EXPECT_EQ(pgf::retention_result(fold({}), 2), (std::vector<bool>{false, false}));
    EXPECT_EQ(pgf::retention_result(fold({0b1}), 1), (std::vector<bool>{true}));
    // Order and repetition do not matter; bits past n are ignored.
    EXPECT_EQ(pgf::retention_result(fold({0b100, 0b1, 0b100, 0b1000}), 3), (std::vector<bool>{true, false, true}));
    EXPECT_EQ(pgf::retention_result_mask(0b1011, 3), 0b011u);
    EXPECT_EQ(pgf::retention_result_mask(0b1010, 4), 0u);
}

TEST(Retention, ClickHouseTestShape) {
    // 00688_aggregation_retention: 80 users on day 1, 50 of them on day 2, 60 on
    // day 3 -> sums (80, 50, 60); here per user and summed.
    std::vector<std::uint64_t> users;
    for (int u = 0; u < 80; ++u) {
        std::uint64_t s = pgf::retention_add(0, 0b001);
        if (u < 50) s = pgf::retention_add(s, 0b010);
        if (u >= 20) s = pgf::retention_add(s, 0b100);
        users.push_back(s);
    }
    users.push_back(0b110);  // never on day 1: counts nowhere
    int sums[3] = {0, 0, 0};
    for (auto s : users) {
        const auto r = pgf::retention_result(s, 3);
        for (int i = 0; i < 3; ++i) sums[i] += r[static_cast<std::size_t>(i)];
    }
    EXPECT_EQ(sums[0], 80);
    EXPECT_EQ(sums[1], 50);
    EXPECT_EQ(sums[2], 60);
}

TEST(Retention, CombineIsOr) {
    const std::uint64_t a = fold({0b010}), b = fold({0b001});
    EXPECT_EQ(pgf::retention_combine(a, b), 0b011u);
    EXPECT_EQ(pgf::retention_result(pgf::retention_combine(a, b), 2), (std::vector<bool>{true, true}));
    EXPECT_EQ(pgf::retention_result(a, 2), (std::vector<bool>{false, false}));
}

TEST(Retention, SixtyFourConditionsAndLimits) {
    const auto r = pgf::retention_result(~std::uint64_t{0}, 64);
    EXPECT_EQ(r.size(), 64u);
    for (bool x : r) EXPECT_TRUE(x);
    EXPECT_EQ(pgf::retention_result_mask(std::uint64_t{1} | (std::uint64_t{1} << 63), 64),
              std::uint64_t{1} | (std::uint64_t{1} << 63));
    EXPECT_THROW(pgf::retention_result(1, 0), pgf::Error);
    try {
        pgf::check_retention_conditions(65);
        ADD_FAILURE();
    } catch (const pgf::Error& e) {
        EXPECT_EQ(e.kind(), pgf::ErrorKind::LimitExceeded);
    }
}

}  // namespace
