// Statistics of a 2x2 table: does doing a micro-conversion go with doing the macro
// conversion? Every formula, and what each one does at zero cells, is in
// docs/reports.md; the code follows it line by line.
//
//                  macro    no macro
//     micro          a         b        r1 = a + b
//     no micro       c         d        r2 = c + d
//                 c1 = a+c  c2 = b+d    n  = a + b + c + d
//
// No result is ever NaN or infinite: a statistic that is undefined for the table
// (an empty denominator, an empty row or column) is absent (std::nullopt, NULL in SQL).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

namespace pgf {

struct Table2x2 {
    std::int64_t a = 0;  // micro and macro
    std::int64_t b = 0;  // micro, no macro
    std::int64_t c = 0;  // macro, no micro
    std::int64_t d = 0;  // neither
};

// Throws InvalidParameter for a negative cell and CountOutOfRange when n overflows int64.
void check_table(const Table2x2& t);

enum class PTest : std::uint8_t {
    None,       // n = 0: no test
    Fisher,     // an expected cell < 5: Fisher's exact test, two-sided
    ChiSquare,  // every expected cell >= 5: Pearson's chi-square, 1 degree of freedom
};
const char* p_test_name(PTest test);  // "fisher", "chi_square", or nullptr for None

// An expected cell count below this sends the p-value to Fisher's exact test.
constexpr double kMinExpectedCell = 5.0;
// z such that P(|Z| <= z) = 0.95 for a standard normal Z.
constexpr double kZ95 = 1.959963984540054;

struct TableStats {
    std::int64_t n = 0;
    std::optional<double> rate_with_micro;     // a / r1
    std::optional<double> rate_without_micro;  // c / r2
    std::optional<double> overall_rate;        // c1 / n
    std::optional<double> lift;                // rate_with_micro / overall_rate
    std::optional<double> relative_risk;       // rate_with_micro / rate_without_micro
    std::optional<double> odds_ratio;          // a d / (b c), Haldane-Anscombe corrected at a zero cell
    std::optional<double> odds_ratio_low;      // 95% Woolf (logit) interval
    std::optional<double> odds_ratio_high;
    bool odds_ratio_corrected = false;         // +0.5 was added to every cell
    std::optional<double> phi;                 // (a d - b c) / sqrt(r1 r2 c1 c2)
    std::optional<double> chi_square;          // n phi^2 (Pearson, no continuity correction)
    std::optional<double> min_expected;        // min(r1, r2) min(c1, c2) / n
    bool low_expected = false;                 // min_expected < 5
    std::optional<double> p_value;             // two-sided
    PTest p_test = PTest::None;
};

TableStats table_stats(const Table2x2& t);

// Two-sided Fisher exact p-value: the probability, under the hypergeometric law
// with the table's margins, of every table no more probable than the observed one
// (relative tolerance 1e-7, as R's fisher.test). 1 when a margin is 0.
double fisher_exact_p(const Table2x2& t);

// Upper tail of the chi-square distribution with 1 degree of freedom:
// P(X >= x) = erfc(sqrt(x / 2)). 1 for x <= 0.
double chi_square_p_1df(double x);

// Exact a d - b c as a double (128-bit intermediate, no cancellation error beyond
// the final rounding).
double cross_difference(const Table2x2& t);

// Benjamini-Hochberg adjusted p-values (q-values), in the order of `p`:
// q(i) = min over p(j) >= p(i) of p(j) m / rank(j), capped at 1.
void benjamini_hochberg(const double* p, double* q, std::size_t m);

}  // namespace pgf
