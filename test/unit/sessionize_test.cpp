// Tests of the sessionize core: 1-based session numbers, a new session after
// more than `gap` of inactivity.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <vector>

#include "core/error.hpp"
#include "core/sessionize.hpp"

namespace {

using V = std::vector<std::int64_t>;

V run(const V& ts, std::int64_t gap) { return pgf::sessionize(ts.data(), ts.size(), gap); }

TEST(Sessionize, GapIsInclusive) {
    EXPECT_EQ(run({0, 10, 30, 31, 100}, 20), (V{1, 1, 1, 1, 2}));
    EXPECT_EQ(run({0, 10, 31, 31, 100}, 20), (V{1, 1, 2, 2, 3}));
    EXPECT_EQ(run({}, 20), V{});
    EXPECT_EQ(run({5}, 0), V{1});
    // gap 0: every distinct time is its own session; equal times share one.
    EXPECT_EQ(run({1, 1, 2, 2, 2, 3}, 0), (V{1, 1, 2, 2, 2, 3}));
}

TEST(Sessionize, ThirtyMinutesInMicroseconds) {
    const std::int64_t min = 60 * 1000000LL;
    EXPECT_EQ(run({0, 29 * min, 59 * min, 89 * min + 1, 90 * min}, 30 * min), (V{1, 1, 1, 2, 2}));
}

TEST(Sessionize, RowAtATime) {
    pgf::Sessionizer s(5);
    EXPECT_EQ(s.session(), 0);
    EXPECT_EQ(s.next(100), 1);
    EXPECT_EQ(s.next(105), 1);
    EXPECT_EQ(s.next(111), 2);
    EXPECT_EQ(s.session(), 2);
    // Out of time order: an error that says how to write the window.
    try {
        s.next(110);
        ADD_FAILURE();
    } catch (const pgf::Error& e) {
        EXPECT_EQ(e.kind(), pgf::ErrorKind::InvalidParameter);
        EXPECT_NE(std::string(e.what()).find("ORDER BY"), std::string::npos);
    }
}

TEST(Sessionize, ExtremesAndErrors) {
    const std::int64_t lo = std::numeric_limits<std::int64_t>::min();
    const std::int64_t hi = std::numeric_limits<std::int64_t>::max();
    EXPECT_EQ(run({lo, hi}, hi), (V{1, 2}));
    EXPECT_EQ(run({lo, -1}, hi), (V{1, 1}));
    EXPECT_EQ(run({-1, hi - 1}, hi), (V{1, 1}));
    EXPECT_THROW(pgf::Sessionizer(-1), pgf::Error);
    EXPECT_THROW(run({1}, -5), pgf::Error);
}

}  // namespace
