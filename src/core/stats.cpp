#include "core/stats.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/interrupt.hpp"

namespace pgf {

namespace {

__extension__ typedef __int128 int128;

double d(std::int64_t v) { return static_cast<double>(v); }

std::optional<double> ratio(double num, double den) {
    if (den == 0.0) return std::nullopt;
    return num / den;
}

// log P(x + 1) - log P(x) for the hypergeometric law of the upper-left cell,
// lo <= x < hi. The four counts are formed in exact integer arithmetic (each is
// >= 1 and <= n): in double, r1 - x loses the low bits of counts beyond 2^53 and
// could reach 0, and log(0) would turn the p-value into NaN.
double log_step_up(std::int64_t x, std::int64_t r1, std::int64_t r2, std::int64_t c1) {
    return std::log(d(r1 - x)) - std::log(d(x + 1)) + std::log(d(c1 - x)) - std::log(d(r2 - c1 + x + 1));
}

// Terms of the Fisher sum decrease away from the mode; past exp(-746) they are
// exactly 0 in double and can be skipped.
constexpr double kNegligible = -746.0;

}  // namespace

void check_table(const Table2x2& t) {
    if (t.a < 0 || t.b < 0 || t.c < 0 || t.d < 0) fail(ErrorKind::InvalidParameter, "2x2 table cells must not be negative");
    std::int64_t n = 0;
    if (__builtin_add_overflow(t.a, t.b, &n) || __builtin_add_overflow(n, t.c, &n) ||
        __builtin_add_overflow(n, t.d, &n))
        fail(ErrorKind::CountOutOfRange, "2x2 table total is out of range");
}

const char* p_test_name(PTest test) {
    switch (test) {
        case PTest::Fisher: return "fisher";
        case PTest::ChiSquare: return "chi_square";
        case PTest::None: return nullptr;
    }
    return nullptr;
}

double cross_difference(const Table2x2& t) {
    const int128 ad = static_cast<int128>(t.a) * t.d;
    const int128 bc = static_cast<int128>(t.b) * t.c;
    return static_cast<double>(ad - bc);
}

double chi_square_p_1df(double x) {
    if (!(x > 0.0)) return 1.0;
    return std::clamp(std::erfc(std::sqrt(x / 2.0)), 0.0, 1.0);
}

double fisher_exact_p(const Table2x2& t) {
    check_table(t);
    const std::int64_t r1 = t.a + t.b, r2 = t.c + t.d, c1 = t.a + t.c;
    const std::int64_t lo = std::max<std::int64_t>(0, c1 - r2);
    const std::int64_t hi = std::min(r1, c1);
    if (lo >= hi) return 1.0;  // one possible table (a margin is 0)

    const long double n = static_cast<long double>(r1) + r2;
    std::int64_t mode = static_cast<std::int64_t>(
        std::floor((static_cast<long double>(r1) + 1) * (static_cast<long double>(c1) + 1) / (n + 2)));
    mode = std::clamp(mode, lo, hi);

    InterruptCheck interrupt;
    // Log-probability of the observed table relative to the mode. It only falls
    // on the way from the mode, so the walk stops once it is negligible: every
    // term at or below it is 0 in double, and the p-value is 0. (Walking all the
    // way took billions of steps on a large, very significant table.)
    double obs = 0.0;
    for (std::int64_t x = mode; x < t.a && obs >= kNegligible; ++x) {
        obs += log_step_up(x, r1, r2, c1);
        interrupt.tick();
    }
    for (std::int64_t x = mode; x > t.a && obs >= kNegligible; --x) {
        obs -= log_step_up(x - 1, r1, r2, c1);
        interrupt.tick();
    }
    const double limit = obs + std::log1p(1e-7);

    double total = 1.0, tail = 0.0 <= limit ? 1.0 : 0.0;  // the mode's own term
    double lw = 0.0;
    for (std::int64_t x = mode; x < hi; ++x) {
        lw += log_step_up(x, r1, r2, c1);
        if (lw < kNegligible) break;
        const double w = std::exp(lw);
        total += w;
        if (lw <= limit) tail += w;
        interrupt.tick();
    }
    lw = 0.0;
    for (std::int64_t x = mode; x > lo; --x) {
        lw -= log_step_up(x - 1, r1, r2, c1);
        if (lw < kNegligible) break;
        const double w = std::exp(lw);
        total += w;
        if (lw <= limit) tail += w;
        interrupt.tick();
    }
    return std::clamp(tail / total, 0.0, 1.0);
}

TableStats table_stats(const Table2x2& t) {
    check_table(t);
    TableStats s;
    const std::int64_t r1 = t.a + t.b, r2 = t.c + t.d, c1 = t.a + t.c, c2 = t.b + t.d;
    s.n = r1 + r2;
    if (s.n == 0) return s;

    s.rate_with_micro = ratio(d(t.a), d(r1));
    s.rate_without_micro = ratio(d(t.c), d(r2));
    s.overall_rate = ratio(d(c1), d(s.n));
    if (s.rate_with_micro && s.overall_rate) s.lift = ratio(*s.rate_with_micro, *s.overall_rate);
    if (s.rate_with_micro && s.rate_without_micro) s.relative_risk = ratio(*s.rate_with_micro, *s.rate_without_micro);

    s.min_expected = d(std::min(r1, r2)) * d(std::min(c1, c2)) / d(s.n);
    s.low_expected = *s.min_expected < kMinExpectedCell;

    const bool empty_margin = r1 == 0 || r2 == 0 || c1 == 0 || c2 == 0;
    if (!empty_margin) {
        // Odds ratio and its Woolf interval; +0.5 on every cell when any cell is 0.
        double a = d(t.a), b = d(t.b), c = d(t.c), dd = d(t.d);
        if (t.a == 0 || t.b == 0 || t.c == 0 || t.d == 0) {
            a += 0.5, b += 0.5, c += 0.5, dd += 0.5;
            s.odds_ratio_corrected = true;
        }
        const double log_or = std::log(a) + std::log(dd) - std::log(b) - std::log(c);
        const double se = std::sqrt(1.0 / a + 1.0 / b + 1.0 / c + 1.0 / dd);
        s.odds_ratio = (a * dd) / (b * c);
        s.odds_ratio_low = std::exp(log_or - kZ95 * se);
        s.odds_ratio_high = std::exp(log_or + kZ95 * se);

        const double phi = cross_difference(t) / (std::sqrt(d(r1) * d(r2)) * std::sqrt(d(c1) * d(c2)));
        s.phi = std::clamp(phi, -1.0, 1.0);
        s.chi_square = d(s.n) * *s.phi * *s.phi;
    }

    if (s.low_expected) {
        s.p_test = PTest::Fisher;
        s.p_value = fisher_exact_p(t);
    } else {
        s.p_test = PTest::ChiSquare;
        s.p_value = chi_square_p_1df(*s.chi_square);
    }
    return s;
}

void benjamini_hochberg(const double* p, double* q, std::size_t m) {
    std::vector<std::size_t> order(m);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [p](std::size_t x, std::size_t y) { return p[x] < p[y]; });
    double running = 1.0;
    for (std::size_t i = m; i-- > 0;) {
        const double adjusted = p[order[i]] * static_cast<double>(m) / static_cast<double>(i + 1);
        running = std::min(running, adjusted);
        q[order[i]] = std::clamp(running, 0.0, 1.0);
    }
}

}  // namespace pgf
