// Shared by the pattern targets: structural checks of a parsed pattern, random
// events, and the matcher run against the brute-force reference.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/event.hpp"
#include "core/pattern.hpp"
#include "fuzz_common.hpp"
#include "pattern_reference.hpp"

namespace fuzz {

inline bool is_time(pgf::PatternOp op) { return op >= pgf::PatternOp::TimeLE; }

// Everything parse_pattern promises about its result.
inline void check_pattern(const pgf::Pattern& p, int n_conditions, const std::string& what) {
    FUZZ_CHECK(p.n_conditions == n_conditions, what);
    FUZZ_CHECK(!p.elements.empty() && p.elements.size() <= static_cast<std::size_t>(pgf::kMaxPatternElements),
               what << " elements " << p.elements.size());
    int steps = 0, last_pos = 0;
    std::uint64_t used = 0;
    bool has_time = false;
    for (std::size_t i = 0; i < p.elements.size(); ++i) {
        const pgf::PatternElement& e = p.elements[i];
        FUZZ_CHECK(e.position > last_pos, what << " positions not increasing at element " << i);
        last_pos = e.position;
        if (e.op == pgf::PatternOp::Step) {
            FUZZ_CHECK(e.step >= 0 && e.step < n_conditions, what << " step " << e.step);
            ++steps;
            used |= std::uint64_t{1} << e.step;
        }
        if (is_time(e.op)) {
            has_time = true;
            FUZZ_CHECK(i > 0 && !is_time(p.elements[i - 1].op), what << " misplaced time condition at element " << i);
        }
    }
    FUZZ_CHECK(steps == p.n_step_elements && used == p.used_steps && has_time == p.has_time, what << " summary fields");
}

// Runs the three matchers; checks their mutual consistency and, when `reference`,
// agreement with the brute-force reference. `ev` must be sorted.
inline void check_matchers(const pgf::Pattern& p, const std::vector<pgf::Event>& ev, bool reference,
                           const std::string& what) {
    bool m = false;
    std::uint64_t c = 0;
    std::vector<std::int64_t> t;
    guard(0, [&] {
        m = pgf::sequence_match(p, ev.data(), ev.size());
        c = pgf::sequence_count(p, ev.data(), ev.size());
        t = pgf::sequence_match_times(p, ev.data(), ev.size());
    });
    const std::string ctx = what + " pattern " + pgf::pattern_to_string(p) + " events " + show_events(ev);
    std::size_t stored = 0;
    for (const auto& e : ev) stored += e.mask != 0;
    FUZZ_CHECK(c <= stored + 1, ctx << " count " << c);
    if (c > 0) FUZZ_CHECK(m, ctx << " count " << c << " without a match");
    if (m && stored > 0) FUZZ_CHECK(c > 0, ctx << " a match but count 0");
    FUZZ_CHECK(t.size() <= static_cast<std::size_t>(p.n_step_elements), ctx << " times " << show_times(t));
    if (m) FUZZ_CHECK(t.size() == static_cast<std::size_t>(p.n_step_elements), ctx << " match, times " << show_times(t));
    for (std::size_t i = 1; i < t.size(); ++i) FUZZ_CHECK(t[i - 1] <= t[i], ctx << " times out of order " << show_times(t));
    if (!reference) return;
    pgf_ref::PatternRef ref(p, ev.data(), ev.size());
    const bool rm = ref.match();
    const std::uint64_t rc = ref.count();
    const std::vector<std::int64_t> rt = ref.times();
    FUZZ_CHECK(m == rm && c == rc && t == rt, ctx << "\n got match " << m << " count " << c << " times "
                                                  << show_times(t) << "\n want match " << rm << " count " << rc
                                                  << " times " << show_times(rt));
}

// The reference is exponential in the pattern length; keep it to small cases.
inline bool reference_feasible(const pgf::Pattern& p, const std::vector<pgf::Event>& ev) {
    std::size_t stored = 0;
    for (const auto& e : ev) stored += e.mask != 0;
    int branching = 0;
    for (const auto& e : p.elements) branching += e.op == pgf::PatternOp::AnyStar || is_time(e.op);
    return stored <= 10 && p.elements.size() <= 8 && branching <= 5;
}

}  // namespace fuzz
