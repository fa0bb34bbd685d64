// Tests of the 2x2 statistics (stats.hpp) and of the micro-conversion family
// (micro_correlations.hpp). Expected values are textbook results or are derived
// by hand in the comments; the Fisher test is also checked against a direct
// lgamma-based summation over every table with the same margins.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/micro_correlations.hpp"
#include "core/stats.hpp"

namespace {

using pgf::Table2x2;
using pgf::TableStats;

Table2x2 table(std::int64_t a, std::int64_t b, std::int64_t c, std::int64_t d) { return Table2x2{a, b, c, d}; }

// P(X = x) of the upper-left cell summed directly from log-factorials.
double brute_fisher(const Table2x2& t) {
    const double r1 = static_cast<double>(t.a + t.b), r2 = static_cast<double>(t.c + t.d);
    const double c1 = static_cast<double>(t.a + t.c), n = r1 + r2;
    auto lchoose = [](double m, double k) { return std::lgamma(m + 1) - std::lgamma(k + 1) - std::lgamma(m - k + 1); };
    auto lp = [&](double x) { return lchoose(r1, x) + lchoose(r2, c1 - x) - lchoose(n, c1); };
    const double lo = std::max(0.0, c1 - r2), hi = std::min(r1, c1);
    const double obs = lp(static_cast<double>(t.a));
    long double p = 0;
    for (double x = lo; x <= hi; ++x)
        if (lp(x) <= obs + 1e-7) p += std::exp(static_cast<long double>(lp(x)));
    return static_cast<double>(std::min<long double>(p, 1.0L));
}

void expect_finite(const TableStats& s) {
    for (const auto& v : {s.rate_with_micro, s.rate_without_micro, s.overall_rate, s.lift, s.relative_risk,
                          s.odds_ratio, s.odds_ratio_low, s.odds_ratio_high, s.phi, s.chi_square, s.min_expected,
                          s.p_value})
        if (v) {
            EXPECT_TRUE(std::isfinite(*v));
        }
}

TEST(StatsFisher, TeaTasting) {
    // [[3,1],[1,3]]: margins 4/4/4/4, P(x) = C(4,x)^2 / 70 = 1,16,36,16,1 / 70.
    // Tables no more probable than x = 3 (16): x = 0,1,3,4 -> 34/70 = 0.485714.
    EXPECT_NEAR(pgf::fisher_exact_p(table(3, 1, 1, 3)), 34.0 / 70.0, 1e-12);
    EXPECT_NEAR(pgf::fisher_exact_p(table(3, 1, 1, 3)), 0.4857, 5e-5);
    // The most probable table: every table counts, p = 1.
    EXPECT_NEAR(pgf::fisher_exact_p(table(2, 2, 2, 2)), 1.0, 1e-12);
}

TEST(StatsFisher, DietingExample) {
    // [[1,9],[11,3]]: r1 = 10, r2 = 14, c1 = 12, C(24,12) = 2704156.
    // P(1) = 10 * C(14,11) = 3640; P(0) = C(14,12) = 91; symmetric tails x = 9, 10.
    // p = 2 (91 + 3640) / 2704156 = 0.0027594561852.
    EXPECT_NEAR(pgf::fisher_exact_p(table(1, 9, 11, 3)), 7462.0 / 2704156.0, 1e-14);
    // Cell order does not matter: transposed and mirrored tables give the same p.
    EXPECT_NEAR(pgf::fisher_exact_p(table(1, 11, 9, 3)), 7462.0 / 2704156.0, 1e-14);
    EXPECT_NEAR(pgf::fisher_exact_p(table(9, 1, 3, 11)), 7462.0 / 2704156.0, 1e-14);
}

TEST(StatsFisher, ZeroCellsAndEmptyMargins) {
    // [[0,5],[5,0]]: P(x) = C(5,x)^2 / 252; x = 0 and 5 have P = 1/252 -> 2/252.
    EXPECT_NEAR(pgf::fisher_exact_p(table(0, 5, 5, 0)), 2.0 / 252.0, 1e-14);
    // One possible table when a margin is 0.
    EXPECT_EQ(pgf::fisher_exact_p(table(0, 0, 3, 4)), 1.0);
    EXPECT_EQ(pgf::fisher_exact_p(table(3, 0, 4, 0)), 1.0);
    EXPECT_EQ(pgf::fisher_exact_p(table(0, 0, 0, 0)), 1.0);
    EXPECT_EQ(pgf::fisher_exact_p(table(1, 0, 0, 0)), 1.0);
}

TEST(StatsFisher, MatchesDirectSummation) {
    std::mt19937_64 rng(42);
    std::uniform_int_distribution<int> small(0, 30);
    for (int i = 0; i < 500; ++i) {
        const Table2x2 t = table(small(rng), small(rng), small(rng), small(rng));
        const double expected = brute_fisher(t);
        EXPECT_NEAR(pgf::fisher_exact_p(t), expected, 1e-9 + 1e-7 * expected)
            << t.a << " " << t.b << " " << t.c << " " << t.d;
    }
    // Large, skewed tables, where lgamma still has the precision to compare.
    for (const Table2x2& t : {table(2, 3000, 40, 90000), table(0, 5000, 9, 40000), table(7, 100, 60, 20000)}) {
        const double expected = brute_fisher(t);
        EXPECT_NEAR(pgf::fisher_exact_p(t), expected, 1e-6 * expected + 1e-12);
    }
}

TEST(StatsChiSquare, KnownValues) {
    // chi-square with 1 df: P(X >= 3.8414588) = 0.05.
    EXPECT_NEAR(pgf::chi_square_p_1df(3.841458820694124), 0.05, 1e-12);
    EXPECT_EQ(pgf::chi_square_p_1df(0.0), 1.0);
    EXPECT_EQ(pgf::chi_square_p_1df(-1.0), 1.0);
    EXPECT_GE(pgf::chi_square_p_1df(1e6), 0.0);  // underflows to 0, never NaN
}

TEST(StatsTable, Balanced) {
    // [[20,10],[10,20]], n = 60, every margin 30.
    const TableStats s = pgf::table_stats(table(20, 10, 10, 20));
    EXPECT_EQ(s.n, 60);
    EXPECT_DOUBLE_EQ(*s.rate_with_micro, 20.0 / 30.0);
    EXPECT_DOUBLE_EQ(*s.rate_without_micro, 10.0 / 30.0);
    EXPECT_DOUBLE_EQ(*s.overall_rate, 0.5);
    EXPECT_DOUBLE_EQ(*s.lift, 4.0 / 3.0);  // (2/3) / (1/2)
    EXPECT_DOUBLE_EQ(*s.relative_risk, 2.0);  // (2/3) / (1/3)
    // OR = 20*20 / (10*10) = 4; se = sqrt(1/20 + 1/10 + 1/10 + 1/20) = sqrt(0.3);
    // interval 4 exp(-+1.959964 sqrt(0.3)) = 1.367218, 11.702598.
    EXPECT_DOUBLE_EQ(*s.odds_ratio, 4.0);
    EXPECT_NEAR(*s.odds_ratio_low, 1.3672178038905072, 1e-12);
    EXPECT_NEAR(*s.odds_ratio_high, 11.702597753240894, 1e-12);
    EXPECT_FALSE(s.odds_ratio_corrected);
    // phi = (400 - 100) / sqrt(30^4) = 1/3; chi2 = 60 / 9 = 6.6667; p = 0.009823 (textbook
    // value of Pearson's test without continuity correction).
    EXPECT_NEAR(*s.phi, 1.0 / 3.0, 1e-15);
    EXPECT_NEAR(*s.chi_square, 60.0 / 9.0, 1e-12);
    EXPECT_EQ(s.p_test, pgf::PTest::ChiSquare);
    EXPECT_NEAR(*s.p_value, 0.009823274507519245, 1e-12);  // erfc(sqrt(10/3))
    EXPECT_DOUBLE_EQ(*s.min_expected, 15.0);
    EXPECT_FALSE(s.low_expected);
    EXPECT_STREQ(pgf::p_test_name(s.p_test), "chi_square");
}

TEST(StatsTable, ZeroCellUsesHaldane) {
    // [[5,0],[2,3]]: b = 0 -> every cell + 0.5: OR = 5.5 * 3.5 / (0.5 * 2.5) = 15.4;
    // se = sqrt(1/5.5 + 1/0.5 + 1/2.5 + 1/3.5); interval 0.557332, 425.527416.
    const TableStats s = pgf::table_stats(table(5, 0, 2, 3));
    EXPECT_TRUE(s.odds_ratio_corrected);
    EXPECT_NEAR(*s.odds_ratio, 15.4, 1e-12);
    EXPECT_NEAR(*s.odds_ratio_low, 0.557331892043399, 1e-12);
    EXPECT_NEAR(*s.odds_ratio_high, 425.5274162231732, 1e-9);
    // rate without = 2/5, rate with = 1, RR = 2.5, lift = 1 / (7/10).
    EXPECT_DOUBLE_EQ(*s.relative_risk, 2.5);
    EXPECT_DOUBLE_EQ(*s.lift, 10.0 / 7.0);
    // phi = (15 - 0) / sqrt(5 * 5 * 7 * 3) = 15 / sqrt(525).
    EXPECT_NEAR(*s.phi, 15.0 / std::sqrt(525.0), 1e-15);
    // min expected = 5 * 3 / 10 = 1.5 < 5 -> Fisher. Margins r1 = 5, c1 = 7, n = 10:
    // P(x) = C(5,x) C(5,7-x) / C(10,7), x = 2..5: 10, 50, 50, 10 over 120; observed
    // x = 5 (10): p = 20 / 120.
    EXPECT_EQ(s.p_test, pgf::PTest::Fisher);
    EXPECT_TRUE(s.low_expected);
    EXPECT_NEAR(*s.p_value, 20.0 / 120.0, 1e-14);
    expect_finite(s);
}

TEST(StatsTable, RelativeRiskWithNoBaselineConversions) {
    // c = 0: rate without = 0, RR would be infinite -> absent; lift and OR stay finite.
    const TableStats s = pgf::table_stats(table(4, 6, 0, 10));
    EXPECT_DOUBLE_EQ(*s.rate_without_micro, 0.0);
    EXPECT_FALSE(s.relative_risk.has_value());
    EXPECT_DOUBLE_EQ(*s.lift, 0.4 / 0.2);
    EXPECT_TRUE(s.odds_ratio_corrected);
    EXPECT_NEAR(*s.odds_ratio, 4.5 * 10.5 / (6.5 * 0.5), 1e-12);
    expect_finite(s);
}

TEST(StatsTable, EmptyRowOrColumn) {
    // Nobody did the micro-conversion: rate with micro, lift, RR, OR, phi are undefined.
    TableStats s = pgf::table_stats(table(0, 0, 3, 4));
    EXPECT_FALSE(s.rate_with_micro.has_value());
    EXPECT_DOUBLE_EQ(*s.rate_without_micro, 3.0 / 7.0);
    EXPECT_DOUBLE_EQ(*s.overall_rate, 3.0 / 7.0);
    EXPECT_FALSE(s.lift.has_value());
    EXPECT_FALSE(s.relative_risk.has_value());
    EXPECT_FALSE(s.odds_ratio.has_value());
    EXPECT_FALSE(s.odds_ratio_low.has_value());
    EXPECT_FALSE(s.phi.has_value());
    EXPECT_FALSE(s.chi_square.has_value());
    EXPECT_EQ(s.p_test, pgf::PTest::Fisher);
    EXPECT_EQ(*s.p_value, 1.0);
    // Nobody converted: rates are 0, lift undefined (overall rate 0), RR undefined.
    s = pgf::table_stats(table(0, 5, 0, 5));
    EXPECT_DOUBLE_EQ(*s.rate_with_micro, 0.0);
    EXPECT_DOUBLE_EQ(*s.overall_rate, 0.0);
    EXPECT_FALSE(s.lift.has_value());
    EXPECT_FALSE(s.relative_risk.has_value());
    EXPECT_FALSE(s.odds_ratio.has_value());
    EXPECT_EQ(*s.p_value, 1.0);
}

TEST(StatsTable, EmptyTable) {
    const TableStats s = pgf::table_stats(table(0, 0, 0, 0));
    EXPECT_EQ(s.n, 0);
    EXPECT_FALSE(s.rate_with_micro || s.overall_rate || s.lift || s.odds_ratio || s.phi || s.p_value ||
                 s.min_expected);
    EXPECT_EQ(s.p_test, pgf::PTest::None);
    EXPECT_EQ(pgf::p_test_name(s.p_test), nullptr);
}

TEST(StatsTable, SingleActor) {
    const TableStats s = pgf::table_stats(table(1, 0, 0, 0));
    EXPECT_DOUBLE_EQ(*s.rate_with_micro, 1.0);
    EXPECT_DOUBLE_EQ(*s.lift, 1.0);
    EXPECT_FALSE(s.odds_ratio.has_value());
    EXPECT_EQ(*s.p_value, 1.0);
}

TEST(StatsTable, HugeCountsStayFinite) {
    const std::int64_t big = std::numeric_limits<std::int64_t>::max() / 4;
    for (const Table2x2& t : {table(big, big, big, big), table(big, 1, 0, big), table(big - 1, big, big, big - 7)}) {
        const TableStats s = pgf::table_stats(t);
        expect_finite(s);
        EXPECT_TRUE(s.p_value.has_value());
    }
    // ad - bc is exact: (big)(big - 7) - (big - 1)... never loses the sign.
    EXPECT_LT(pgf::cross_difference(table(big - 1, big, big, big - 7)), 0.0);
    EXPECT_EQ(pgf::cross_difference(table(big, big, big, big)), 0.0);
}

// Found by fuzzing (test/fuzz/fuzz_micro_state.cpp): cells beyond 2^53 made the
// Fisher step r1 - x round to 0 in double, and the p-value came out NaN.
TEST(StatsFisher, CountsBeyondDoublePrecision) {
    const std::int64_t two53 = std::int64_t{1} << 53;
    // One "no macro" actor, in the micro row (b = 1) or not (d = 1): two tables,
    // the observed one has probability r1 / n, the other r2 / n = about 2/3.
    const Table2x2 t = table(two53, 1, 2 * two53, 0);
    const double want = static_cast<double>(two53 + 1) / static_cast<double>(3 * two53 + 1);
    EXPECT_NEAR(pgf::fisher_exact_p(t), want, 1e-9);
    const TableStats s = pgf::table_stats(t);
    expect_finite(s);
    ASSERT_EQ(s.p_test, pgf::PTest::Fisher);
    EXPECT_NEAR(*s.p_value, want, 1e-9);
}

// Found by fuzzing: a large, very significant table whose observed cell is
// billions of steps from the mode walked every step (minutes). The observed
// table has probability 1 / C(n, a), far below the smallest double: p is 0.
TEST(StatsFisher, FarTailOfHugeTableIsZeroAndQuick) {
    const Table2x2 t = table(2617278465, 0, 0, 5476377146899300395);
    const TableStats s = pgf::table_stats(t);
    ASSERT_EQ(s.p_test, pgf::PTest::Fisher);  // min expected cell a^2 / n is about 1.25
    EXPECT_EQ(*s.p_value, 0.0);
    // The same far tail on a table small enough to sum directly.
    EXPECT_EQ(brute_fisher(table(1000, 0, 0, 1000000)), 0.0);
    EXPECT_EQ(pgf::fisher_exact_p(table(1000, 0, 0, 1000000)), 0.0);
}

TEST(StatsTable, RandomTablesNeverNaN) {
    std::mt19937_64 rng(7);
    std::uniform_int_distribution<int> cell(0, 12);
    for (int i = 0; i < 2000; ++i) {
        const TableStats s = pgf::table_stats(table(cell(rng), cell(rng), cell(rng), cell(rng)));
        expect_finite(s);
        if (s.p_value) {
            EXPECT_GE(*s.p_value, 0.0);
            EXPECT_LE(*s.p_value, 1.0);
        }
        if (s.phi) {
            EXPECT_GE(*s.phi, -1.0);
            EXPECT_LE(*s.phi, 1.0);
        }
        if (s.odds_ratio) {
            EXPECT_LE(*s.odds_ratio_low, *s.odds_ratio);
            EXPECT_GE(*s.odds_ratio_high, *s.odds_ratio);
        }
    }
}

TEST(StatsTable, BadTables) {
    EXPECT_THROW(pgf::table_stats(table(-1, 0, 0, 0)), pgf::Error);
    const std::int64_t max = std::numeric_limits<std::int64_t>::max();
    try {
        pgf::table_stats(table(max, 1, 0, 0));
        FAIL();
    } catch (const pgf::Error& e) {
        EXPECT_EQ(e.kind(), pgf::ErrorKind::CountOutOfRange);
    }
}

TEST(StatsBenjaminiHochberg, HandComputed) {
    // Sorted p: 0.005, 0.01, 0.03, 0.04 (m = 4) -> p m / rank: 0.02, 0.02, 0.04, 0.04;
    // the running minimum from the top leaves them unchanged.
    const double p[] = {0.01, 0.04, 0.03, 0.005};
    double q[4];
    pgf::benjamini_hochberg(p, q, 4);
    EXPECT_DOUBLE_EQ(q[0], 0.02);
    EXPECT_DOUBLE_EQ(q[1], 0.04);
    EXPECT_DOUBLE_EQ(q[2], 0.04);
    EXPECT_DOUBLE_EQ(q[3], 0.02);
    // p = 0.01, 0.5 (m = 2): 0.02, 0.5. A p of 0.9 at rank 1 of 2 is capped at 1.
    const double p2[] = {0.9, 0.95};
    double q2[2];
    pgf::benjamini_hochberg(p2, q2, 2);
    EXPECT_DOUBLE_EQ(q2[0], 0.95);  // min(0.9 * 2 / 1, 0.95 * 2 / 2)
    EXPECT_DOUBLE_EQ(q2[1], 0.95);
    pgf::benjamini_hochberg(nullptr, nullptr, 0);
}

// ---- micro-conversion family ----------------------------------------------------

TEST(MicroSupport, DefaultRule) {
    EXPECT_EQ(pgf::default_min_support(0), 0);
    EXPECT_EQ(pgf::default_min_support(1), 1);
    EXPECT_EQ(pgf::default_min_support(50), 1);
    EXPECT_EQ(pgf::default_min_support(51), 2);
    EXPECT_EQ(pgf::default_min_support(1200), 24);
    EXPECT_EQ(pgf::default_min_support(1250), 25);
    EXPECT_EQ(pgf::default_min_support(10'000'000), 25);
    EXPECT_THROW(pgf::check_min_support(-1), pgf::Error);
}

TEST(MicroRanking, OrderFilterAndQValues) {
    // 40 converters, 60 non-converters.
    const pgf::CorrelationTotals totals{40, 60};
    std::vector<pgf::EventCount> events = {
        {"noise", 20, 30},     // same rate as everybody: phi = 0, p = 1
        {"strong", 35, 5},     // strong positive
        {"negative", 2, 40},   // strong negative
        {"rare", 1, 0},        // support 1: filtered out at min_support 2
        {"weak", 25, 25},      // weak positive
    };
    const auto rows = pgf::rank_correlations(events, totals, 2);
    ASSERT_EQ(rows.size(), 4u);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        EXPECT_EQ(rows[i].rank, static_cast<int>(i + 1));
        if (i > 0) {
            EXPECT_LE(*rows[i - 1].stats.p_value, *rows[i].stats.p_value);
        }
    }
    EXPECT_EQ(rows.back().name, "noise");
    EXPECT_NEAR(*rows.back().stats.phi, 0.0, 1e-15);
    EXPECT_NEAR(*rows.back().stats.p_value, 1.0, 1e-12);
    EXPECT_EQ(rows.back().q_value, 1.0);
    // The table of "strong": a = 35, b = 5, c = 40 - 35 = 5, d = 60 - 5 = 55.
    const auto& strong = rows[0].name == "strong" ? rows[0] : rows[1];
    EXPECT_EQ(strong.table.a, 35);
    EXPECT_EQ(strong.table.b, 5);
    EXPECT_EQ(strong.table.c, 5);
    EXPECT_EQ(strong.table.d, 55);
    EXPECT_GT(*strong.stats.phi, 0.0);
    // q >= p, and q is monotone in the ranking.
    for (std::size_t i = 0; i < rows.size(); ++i) {
        EXPECT_GE(rows[i].q_value, *rows[i].stats.p_value);
        if (i > 0) {
            EXPECT_LE(rows[i - 1].q_value, rows[i].q_value);
        }
    }
    // Order of the input does not matter.
    std::vector<pgf::EventCount> reversed(events.rbegin(), events.rend());
    const auto again = pgf::rank_correlations(reversed, totals, 2);
    ASSERT_EQ(again.size(), rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) EXPECT_EQ(again[i].name, rows[i].name);
}

TEST(MicroRanking, TiesBreakByName) {
    const pgf::CorrelationTotals totals{10, 10};
    std::vector<pgf::EventCount> events = {{"b", 5, 5}, {"a", 5, 5}, {"c", 5, 5}};
    const auto rows = pgf::rank_correlations(events, totals, 0);
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0].name, "a");
    EXPECT_EQ(rows[1].name, "b");
    EXPECT_EQ(rows[2].name, "c");
}

TEST(MicroRanking, CountsBeyondTotalsAreRejected) {
    const pgf::CorrelationTotals totals{1, 1};
    std::vector<pgf::EventCount> events = {{"x", 2, 0}};
    EXPECT_THROW(pgf::rank_correlations(events, totals, 0), pgf::Error);
}

TEST(MicroCodec, PlainDecimal) {
    EXPECT_TRUE(pgf::is_plain_decimal("0"));
    EXPECT_TRUE(pgf::is_plain_decimal("12.50"));
    EXPECT_FALSE(pgf::is_plain_decimal(""));
    EXPECT_FALSE(pgf::is_plain_decimal("-1"));
    EXPECT_FALSE(pgf::is_plain_decimal("1."));
    EXPECT_FALSE(pgf::is_plain_decimal(".5"));
    EXPECT_FALSE(pgf::is_plain_decimal("1e5"));
    EXPECT_FALSE(pgf::is_plain_decimal("NaN"));
    EXPECT_FALSE(pgf::is_plain_decimal("1.2.3"));
    EXPECT_TRUE(pgf::is_plain_decimal(std::string(131072, '9') + "." + std::string(16383, '9')));
    EXPECT_FALSE(pgf::is_plain_decimal(std::string(131073, '9')));
    EXPECT_FALSE(pgf::is_plain_decimal("1." + std::string(16384, '9')));
}

TEST(MicroCodec, MicroStateRoundTripAndCorruption) {
    pgf::MicroState s;
    s.table = table(3, 4, 5, 6);
    s.n_values = 7;
    s.sum = "1234.56";
    std::vector<unsigned char> buf(pgf::micro_state_size(s.sum.size()));
    pgf::encode_micro_state(s, buf.data());
    const pgf::MicroState back = pgf::decode_micro_state(buf.data(), buf.size());
    EXPECT_EQ(back.table.a, 3);
    EXPECT_EQ(back.table.d, 6);
    EXPECT_EQ(back.n_values, 7);
    EXPECT_EQ(back.sum, "1234.56");
    // Every truncation and every extension fails.
    for (std::size_t len = 0; len < buf.size(); ++len) EXPECT_THROW(pgf::decode_micro_state(buf.data(), len), pgf::Error);
    std::vector<unsigned char> longer(buf);
    longer.push_back(0);
    EXPECT_THROW(pgf::decode_micro_state(longer.data(), longer.size()), pgf::Error);
    // Bad version, flags, a count with the sign bit, a bad sum, too many values.
    auto corrupted = [&](std::size_t at, unsigned char v) {
        std::vector<unsigned char> c(buf);
        c[at] = v;
        try {
            pgf::decode_micro_state(c.data(), c.size());
        } catch (const pgf::Error& e) {
            return e.kind() == pgf::ErrorKind::CorruptState;
        }
        return false;
    };
    EXPECT_TRUE(corrupted(0, 9));
    EXPECT_TRUE(corrupted(1, 1));
    EXPECT_TRUE(corrupted(4 + 7, 0x80));                    // a's top byte
    EXPECT_TRUE(corrupted(4 + 32, 100));                    // n_values = 100 > a + c
    EXPECT_TRUE(corrupted(buf.size() - 3, 'x'));            // "1234x56"
    EXPECT_TRUE(corrupted(buf.size() - 1, '.'));            // "1234.5."
    // No values: the sum must be empty.
    pgf::MicroState none;
    none.table = table(1, 0, 0, 0);
    std::vector<unsigned char> b2(pgf::micro_state_size(0));
    pgf::encode_micro_state(none, b2.data());
    EXPECT_EQ(pgf::decode_micro_state(b2.data(), b2.size()).n_values, 0);
}

std::vector<unsigned char> encode_correlations(const pgf::CorrelationHeader& h,
                                               const std::vector<pgf::EventCount>& events) {
    std::size_t size = pgf::correlation_header_size(h.sum.size());
    for (const auto& e : events) size += pgf::kCorrelationEntryFixed + e.name.size();
    std::vector<unsigned char> buf(size);
    unsigned char* p = pgf::encode_correlation_header(h, buf.data());
    for (const auto& e : events) p = pgf::encode_correlation_entry(e, p);
    EXPECT_EQ(p, buf.data() + buf.size());
    return buf;
}

void decode_all(const std::vector<unsigned char>& buf, std::size_t len, std::vector<pgf::EventCount>* out = nullptr) {
    pgf::CorrelationDecoder dec(buf.data(), len);
    for (std::int64_t i = 0; i < dec.header().n_events; ++i) {
        const pgf::EventCount e = dec.next();
        if (out) out->push_back(e);
    }
    dec.finish();
}

TEST(MicroCodec, CorrelationStateRoundTripAndCorruption) {
    pgf::CorrelationHeader h;
    h.with_value = true;
    h.explicit_min_support = true;
    h.min_support = 3;
    h.totals = {10, 20};
    h.n_values = 4;
    h.sum = "99.5";
    const std::vector<pgf::EventCount> events = {{"signup", 4, 2}, {"", 1, 0}, {"video_play", 0, 20}};
    h.n_events = static_cast<std::int64_t>(events.size());
    const auto buf = encode_correlations(h, events);

    std::vector<pgf::EventCount> back;
    decode_all(buf, buf.size(), &back);
    ASSERT_EQ(back.size(), 3u);
    EXPECT_EQ(back[0].name, "signup");
    EXPECT_EQ(back[1].name, "");
    EXPECT_EQ(back[2].not_converted, 20);
    {
        pgf::CorrelationDecoder dec(buf.data(), buf.size());
        EXPECT_TRUE(dec.header().with_value);
        EXPECT_EQ(dec.header().min_support, 3);
        EXPECT_EQ(dec.header().sum, "99.5");
        EXPECT_EQ(dec.header().totals.not_converted, 20);
    }
    for (std::size_t len = 0; len < buf.size(); ++len) EXPECT_THROW(decode_all(buf, len), pgf::Error) << len;
    std::vector<unsigned char> longer(buf);
    longer.push_back(1);
    EXPECT_THROW(decode_all(longer, longer.size()), pgf::Error);

    // Counts beyond the totals, an event without actors, a NUL in a name.
    auto bad = [&](std::vector<pgf::EventCount> ev) {
        pgf::CorrelationHeader hh = h;
        hh.n_events = static_cast<std::int64_t>(ev.size());
        const auto b = encode_correlations(hh, ev);
        EXPECT_THROW(decode_all(b, b.size()), pgf::Error);
    };
    bad({{"x", 11, 0}});
    bad({{"x", 0, 21}});
    bad({{"x", 0, 0}});
    bad({{std::string_view("a\0b", 3), 1, 1}});
    // Header inconsistencies.
    pgf::CorrelationHeader no_value = h;
    no_value.with_value = false;
    no_value.n_events = 0;
    auto b = encode_correlations(no_value, {});
    EXPECT_THROW(decode_all(b, b.size()), pgf::Error);  // values without a value argument
    pgf::CorrelationHeader implicit = h;
    implicit.explicit_min_support = false;
    implicit.n_events = 0;
    b = encode_correlations(implicit, {});
    EXPECT_THROW(decode_all(b, b.size()), pgf::Error);  // min_support without the flag
    pgf::CorrelationHeader many = h;
    many.n_events = 1000;
    b = encode_correlations(many, {});
    EXPECT_THROW(decode_all(b, b.size()), pgf::Error);  // event count beyond the length
}

}  // namespace
