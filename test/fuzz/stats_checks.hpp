// Range checks on the statistics of a 2x2 table (core/stats.hpp): no NaN or
// infinity ever, probabilities in [0, 1], the odds-ratio interval around the
// odds ratio, |phi| <= 1, each statistic present exactly when defined.
#pragma once

#include <cmath>
#include <optional>
#include <string>

#include "core/stats.hpp"
#include "fuzz_common.hpp"

namespace fuzz {

inline void check_stats(const pgf::Table2x2& t, const pgf::TableStats& s, const std::string& what) {
    const std::string tab = what + " table a=" + std::to_string(t.a) + " b=" + std::to_string(t.b) +
                            " c=" + std::to_string(t.c) + " d=" + std::to_string(t.d);
    auto finite = [&](const std::optional<double>& v, const char* name) {
        if (v) FUZZ_CHECK(std::isfinite(*v), tab << " " << name << " = " << *v);
    };
    auto prob = [&](const std::optional<double>& v, const char* name) {
        finite(v, name);
        if (v) FUZZ_CHECK(*v >= 0.0 && *v <= 1.0, tab << " " << name << " = " << *v);
    };
    const std::int64_t r1 = t.a + t.b, r2 = t.c + t.d, c1 = t.a + t.c, c2 = t.b + t.d;
    FUZZ_CHECK(s.n == r1 + r2, tab << " n");
    prob(s.rate_with_micro, "rate_with_micro");
    prob(s.rate_without_micro, "rate_without_micro");
    prob(s.overall_rate, "overall_rate");
    prob(s.p_value, "p_value");
    finite(s.lift, "lift");
    finite(s.relative_risk, "relative_risk");
    finite(s.odds_ratio, "odds_ratio");
    finite(s.odds_ratio_low, "odds_ratio_low");
    finite(s.odds_ratio_high, "odds_ratio_high");
    finite(s.phi, "phi");
    finite(s.chi_square, "chi_square");
    finite(s.min_expected, "min_expected");
    FUZZ_CHECK(s.rate_with_micro.has_value() == (r1 > 0), tab << " rate_with_micro presence");
    FUZZ_CHECK(s.rate_without_micro.has_value() == (r2 > 0), tab << " rate_without_micro presence");
    const bool margins = r1 > 0 && r2 > 0 && c1 > 0 && c2 > 0;
    FUZZ_CHECK(s.odds_ratio.has_value() == margins && s.phi.has_value() == margins, tab << " odds ratio / phi presence");
    if (s.odds_ratio) {
        FUZZ_CHECK(*s.odds_ratio >= 0, tab << " odds ratio " << *s.odds_ratio);
        FUZZ_CHECK(s.odds_ratio_low && s.odds_ratio_high, tab << " interval missing");
        // Relative slack: the three come from different roundings.
        const double lo = *s.odds_ratio_low, hi = *s.odds_ratio_high, o = *s.odds_ratio;
        FUZZ_CHECK(lo <= o * (1 + 1e-9) && o <= hi * (1 + 1e-9) && lo >= 0,
                   tab << " interval [" << lo << ", " << hi << "] around " << o);
    }
    if (s.phi) FUZZ_CHECK(*s.phi >= -1.0 && *s.phi <= 1.0, tab << " phi " << *s.phi);
    if (s.chi_square) FUZZ_CHECK(*s.chi_square >= 0, tab << " chi square " << *s.chi_square);
    FUZZ_CHECK((s.n == 0) == (s.p_test == pgf::PTest::None), tab << " p test");
    FUZZ_CHECK(s.p_value.has_value() == (s.n > 0), tab << " p value presence");
}

}  // namespace fuzz
