// Tests of dropoff_by_stage's core: stage counts and rates (hand-computed in the
// comments), duration mean / median, argument checks and the binary state.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "core/dropoff.hpp"
#include "core/error.hpp"

namespace {

pgf::ErrorKind kind_of(void (*f)()) {
    try {
        f();
    } catch (const pgf::Error& e) {
        return e.kind();
    }
    return pgf::ErrorKind::Internal;
}

TEST(DropoffStages, HandComputed) {
    // Levels of 10 actors: 0 x2, 1 x3, 2 x1, 3 x4 (n = 3).
    // actors: stage 1 = 8, stage 2 = 5, stage 3 = 4.
    // dropped: 8 - 5 = 3, 5 - 4 = 1, last stage 0.
    // from start: 1, 5/8, 4/8; from previous: 1, 5/8, 4/5; dropoff: 3/8, 1/5, 0.
    const std::int64_t at_level[] = {2, 3, 1, 4};
    const auto s = pgf::dropoff_stages(at_level, 3);
    ASSERT_EQ(s.size(), 3u);
    EXPECT_EQ(s[0].stage, 1);
    EXPECT_EQ(s[0].actors, 8);
    EXPECT_EQ(s[1].actors, 5);
    EXPECT_EQ(s[2].actors, 4);
    EXPECT_EQ(s[0].dropped, 3);
    EXPECT_EQ(s[1].dropped, 1);
    EXPECT_EQ(s[2].dropped, 0);
    EXPECT_DOUBLE_EQ(*s[0].conversion_from_start, 1.0);
    EXPECT_DOUBLE_EQ(*s[1].conversion_from_start, 5.0 / 8.0);
    EXPECT_DOUBLE_EQ(*s[2].conversion_from_start, 0.5);
    EXPECT_DOUBLE_EQ(*s[0].conversion_from_previous, 1.0);
    EXPECT_DOUBLE_EQ(*s[1].conversion_from_previous, 5.0 / 8.0);
    EXPECT_DOUBLE_EQ(*s[2].conversion_from_previous, 0.8);
    EXPECT_DOUBLE_EQ(*s[0].dropoff_rate, 3.0 / 8.0);
    EXPECT_DOUBLE_EQ(*s[1].dropoff_rate, 0.2);
    EXPECT_DOUBLE_EQ(*s[2].dropoff_rate, 0.0);
}

TEST(DropoffStages, EmptyStagesAreNull) {
    // Only level-0 and level-1 actors: stage 2 and 3 have no actors, so every rate
    // whose denominator is an empty stage is absent.
    const std::int64_t at_level[] = {5, 2, 0, 0};
    const auto s = pgf::dropoff_stages(at_level, 3);
    EXPECT_EQ(s[0].actors, 2);
    EXPECT_EQ(s[0].dropped, 2);
    EXPECT_DOUBLE_EQ(*s[0].dropoff_rate, 1.0);
    EXPECT_DOUBLE_EQ(*s[1].conversion_from_start, 0.0);
    EXPECT_DOUBLE_EQ(*s[1].conversion_from_previous, 0.0);
    EXPECT_FALSE(s[1].dropoff_rate.has_value());
    EXPECT_FALSE(s[2].conversion_from_previous.has_value());  // 0 / 0
    EXPECT_FALSE(s[2].dropoff_rate.has_value());
    // Nobody entered at all.
    const std::int64_t none[] = {7, 0};
    const auto z = pgf::dropoff_stages(none, 1);
    EXPECT_EQ(z[0].actors, 0);
    EXPECT_FALSE(z[0].conversion_from_start.has_value());
    EXPECT_FALSE(z[0].conversion_from_previous.has_value());
    EXPECT_FALSE(z[0].dropoff_rate.has_value());
}

TEST(DropoffStages, MatchesBruteForce) {
    std::mt19937 rng(3);
    for (int trial = 0; trial < 200; ++trial) {
        const int n = 1 + static_cast<int>(rng() % 8);
        std::vector<int> levels(rng() % 50);
        for (int& l : levels) l = static_cast<int>(rng() % static_cast<unsigned>(n + 1));
        std::vector<std::int64_t> at_level(static_cast<std::size_t>(n) + 1);
        for (int l : levels) ++at_level[static_cast<std::size_t>(l)];
        const auto s = pgf::dropoff_stages(at_level.data(), n);
        for (int k = 1; k <= n; ++k) {
            std::int64_t reach = 0, reach_next = 0;
            for (int l : levels) reach += l >= k, reach_next += l >= k + 1;
            EXPECT_EQ(s[static_cast<std::size_t>(k - 1)].actors, reach);
            EXPECT_EQ(s[static_cast<std::size_t>(k - 1)].dropped, k < n ? reach - reach_next : 0);
        }
    }
}

TEST(DropoffStages, Checks) {
    EXPECT_EQ(kind_of([] { pgf::check_dropoff_steps(0); }), pgf::ErrorKind::InvalidParameter);
    EXPECT_EQ(kind_of([] { pgf::check_dropoff_steps(-3); }), pgf::ErrorKind::InvalidParameter);
    EXPECT_EQ(kind_of([] { pgf::check_dropoff_steps(65); }), pgf::ErrorKind::LimitExceeded);
    pgf::check_dropoff_steps(1);
    pgf::check_dropoff_steps(64);
    EXPECT_EQ(kind_of([] { pgf::check_dropoff_level(-1, 3); }), pgf::ErrorKind::InvalidParameter);
    EXPECT_EQ(kind_of([] { pgf::check_dropoff_level(4, 3); }), pgf::ErrorKind::InvalidParameter);
    pgf::check_dropoff_level(0, 3);
    pgf::check_dropoff_level(3, 3);
    const std::int64_t max = std::numeric_limits<std::int64_t>::max();
    const std::int64_t overflow[] = {0, max, 1};
    EXPECT_THROW(pgf::dropoff_stages(overflow, 2), pgf::Error);
    const std::int64_t negative[] = {0, -1};
    EXPECT_THROW(pgf::dropoff_stages(negative, 1), pgf::Error);
}

TEST(DropoffDurations, MeanAndMedian) {
    EXPECT_FALSE(pgf::summarize_durations({}).has_value());
    // Odd count: 5, 1, 3 -> mean 3, median 3.
    auto s = *pgf::summarize_durations({5, 1, 3});
    EXPECT_EQ(s.count, 3);
    EXPECT_DOUBLE_EQ(s.mean, 3.0);
    EXPECT_EQ(s.median_rounded, 3);
    // Even count: 1, 2, 10, 4 -> mean 17/4 = 4.25 (rounds to 4), median (2 + 4) / 2 = 3.
    s = *pgf::summarize_durations({1, 2, 10, 4});
    EXPECT_DOUBLE_EQ(s.mean, 4.25);
    EXPECT_EQ(s.mean_rounded, 4);
    EXPECT_DOUBLE_EQ(s.median, 3.0);
    // Halves round away from zero: 1, 2 -> 1.5 -> 2; -1, -2 -> -1.5 -> -2.
    s = *pgf::summarize_durations({2, 1});
    EXPECT_DOUBLE_EQ(s.median, 1.5);
    EXPECT_EQ(s.median_rounded, 2);
    EXPECT_EQ(s.mean_rounded, 2);
    s = *pgf::summarize_durations({-1, -2});
    EXPECT_EQ(s.median_rounded, -2);
    EXPECT_EQ(s.mean_rounded, -2);
    // 1, 1, 2 -> mean 4/3 rounds to 1.
    EXPECT_EQ(pgf::summarize_durations({1, 1, 2})->mean_rounded, 1);
    // No overflow with extreme values.
    const std::int64_t max = std::numeric_limits<std::int64_t>::max();
    s = *pgf::summarize_durations({max, max, max - 1, max});
    EXPECT_EQ(s.median_rounded, max);
    EXPECT_EQ(s.mean_rounded, max);  // (4 max - 1) / 4 rounds up to max
}

TEST(DropoffDurations, Scale) {
    // Days to microseconds: 1 and 2 days -> 1.5 days = 129600 s.
    const std::int64_t us_per_day = 86'400'000'000;
    auto s = *pgf::summarize_durations({1, 2}, us_per_day);
    EXPECT_DOUBLE_EQ(s.mean, 1.5);  // unscaled
    EXPECT_EQ(s.mean_rounded, 129'600'000'000);
    EXPECT_EQ(s.median_rounded, 129'600'000'000);
    // 3 days at 1 us: mean 1/3 day -> 28800000000 us exactly.
    EXPECT_EQ(pgf::summarize_durations({1, 0, 0}, us_per_day)->mean_rounded, 28'800'000'000);
    const std::int64_t max = std::numeric_limits<std::int64_t>::max();
    try {
        pgf::summarize_durations({max / 2}, 4);
        FAIL();
    } catch (const pgf::Error& e) {
        EXPECT_EQ(e.kind(), pgf::ErrorKind::OutOfRange);
    }
}

TEST(DropoffDurations, MedianMatchesSort) {
    std::mt19937_64 rng(11);
    for (int trial = 0; trial < 200; ++trial) {
        std::vector<std::int64_t> v(1 + rng() % 40);
        for (auto& x : v) x = static_cast<std::int64_t>(rng() % 1000) - 200;
        std::vector<std::int64_t> sorted(v);
        std::sort(sorted.begin(), sorted.end());
        const std::size_t m = sorted.size() / 2;
        const double expected = sorted.size() % 2 ? static_cast<double>(sorted[m])
                                                  : (static_cast<double>(sorted[m - 1]) + static_cast<double>(sorted[m])) / 2;
        EXPECT_DOUBLE_EQ(pgf::summarize_durations(v)->median, expected);
    }
}

struct Encoded {
    std::vector<std::int64_t> at_level;
    std::vector<std::vector<std::int64_t>> durations;
    std::vector<unsigned char> bytes;
};

Encoded encode(std::uint8_t form, std::vector<std::int64_t> at_level, std::vector<std::vector<std::int64_t>> durations) {
    Encoded e{std::move(at_level), std::move(durations), {}};
    std::vector<const std::int64_t*> ptrs;
    for (const auto& d : e.durations) ptrs.push_back(d.data());
    pgf::DropoffStateView view;
    view.form = form;
    view.n_steps = static_cast<int>(e.at_level.size()) - 1;
    view.at_level = e.at_level.data();
    view.durations = ptrs.data();
    e.bytes.resize(pgf::dropoff_encoded_size(view, 1u << 30));
    pgf::encode_dropoff(view, e.bytes.data());
    return e;
}

TEST(DropoffCodec, RoundTrip) {
    // n = 3, levels 0:1, 1:1, 2:2, 3:1 -> stage 2 has 3 durations, stage 3 has 1.
    const Encoded e = encode(1, {1, 1, 2, 1}, {{10, -20, 30}, {40}});
    EXPECT_EQ(e.bytes.size(), 4u + 4 * 8 + 4 * 8);
    const pgf::DropoffDecoded d = pgf::decode_dropoff(e.bytes.data(), e.bytes.size());
    EXPECT_EQ(d.form(), 1);
    EXPECT_EQ(d.n_steps(), 3);
    EXPECT_EQ(d.at_level()[2], 2);
    EXPECT_EQ(d.durations(2), 3);
    EXPECT_EQ(d.durations(3), 1);
    EXPECT_EQ(d.duration(2, 1), -20);
    EXPECT_EQ(d.duration(3, 0), 40);
    // Levels-only form carries no durations.
    const Encoded lv = encode(0, {4, 5}, {});
    const pgf::DropoffDecoded dl = pgf::decode_dropoff(lv.bytes.data(), lv.bytes.size());
    EXPECT_EQ(dl.form(), 0);
    EXPECT_EQ(dl.at_level()[1], 5);
}

TEST(DropoffCodec, Corruption) {
    const Encoded e = encode(4, {1, 1, 2, 1}, {{10, -20, 30}, {40}});
    for (std::size_t len = 0; len < e.bytes.size(); ++len)
        EXPECT_THROW(pgf::decode_dropoff(e.bytes.data(), len), pgf::Error) << len;
    auto corrupted = [&](std::size_t at, unsigned char v) {
        std::vector<unsigned char> c(e.bytes);
        c[at] = v;
        try {
            pgf::decode_dropoff(c.data(), c.size());
        } catch (const pgf::Error& err) {
            return err.kind() == pgf::ErrorKind::CorruptState;
        }
        return false;
    };
    EXPECT_TRUE(corrupted(0, 2));          // version
    EXPECT_TRUE(corrupted(1, 5));          // form
    EXPECT_TRUE(corrupted(2, 0));          // n_steps 0
    EXPECT_TRUE(corrupted(2, 65));         // n_steps 65
    EXPECT_TRUE(corrupted(2, 2));          // n_steps 2: the length no longer matches
    EXPECT_TRUE(corrupted(3, 1));          // flags
    EXPECT_TRUE(corrupted(4 + 8 * 2, 3));  // at_level[2] = 3: one more duration expected
    EXPECT_TRUE(corrupted(4 + 8 * 1 + 7, 0x80));  // a negative count
    std::vector<unsigned char> longer(e.bytes);
    longer.push_back(0);
    EXPECT_THROW(pgf::decode_dropoff(longer.data(), longer.size()), pgf::Error);
    // Counts whose durations could not fit in any buffer.
    std::vector<unsigned char> huge(e.bytes);
    for (int i = 0; i < 7; ++i) huge[4 + 8 * 3 + i] = 0xff;
    EXPECT_THROW(pgf::decode_dropoff(huge.data(), huge.size()), pgf::Error);
}

TEST(DropoffCodec, DateDurationsAreBounded) {
    // Form 3 is date time: durations are differences of int32 day numbers, at
    // most 2^32 - 1 days either way. Other time kinds take any int64.
    const std::int64_t bound = std::int64_t{4294967295};
    const Encoded ok = encode(3, {0, 0, 2}, {{bound, -bound}});
    const pgf::DropoffDecoded d = pgf::decode_dropoff(ok.bytes.data(), ok.bytes.size());
    EXPECT_EQ(d.duration(2, 0), bound);
    EXPECT_EQ(d.duration(2, 1), -bound);
    for (const std::int64_t v : {bound + 1, -bound - 1, INT64_MIN}) {
        const Encoded bad = encode(3, {0, 0, 1}, {{v}});
        const pgf::DropoffDecoded b = pgf::decode_dropoff(bad.bytes.data(), bad.bytes.size());
        try {
            b.duration(2, 0);
            ADD_FAILURE() << v << " accepted";
        } catch (const pgf::Error& err) {
            EXPECT_EQ(err.kind(), pgf::ErrorKind::CorruptState) << v;
        }
        const Encoded other = encode(1, {0, 0, 1}, {{v}});
        EXPECT_EQ(pgf::decode_dropoff(other.bytes.data(), other.bytes.size()).duration(2, 0), v);
    }
}

}  // namespace
