// Tests of funnel_level / funnel_times: hand-computed cases for every mode, a
// randomized comparison against the brute-force reference in
// funnel_reference.hpp, order invariance, mode parsing and spec validation.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/event.hpp"
#include "core/funnel.hpp"
#include "funnel_reference.hpp"

namespace {

using pgf::Event;
using pgf::FunnelSpec;
using Times = std::vector<std::int64_t>;

// Mask of the given 1-based steps.
std::uint64_t steps(std::initializer_list<int> s) {
    std::uint64_t m = 0;
    for (int i : s) m |= std::uint64_t{1} << (i - 1);
    return m;
}

FunnelSpec make_spec(std::int64_t window, int n_steps, std::uint32_t modes = 0) {
    FunnelSpec spec;
    spec.window = window;
    spec.n_steps = n_steps;
    spec.modes = modes;
    return spec;
}

std::string describe(const FunnelSpec& spec, const std::vector<Event>& ev) {
    std::ostringstream os;
    os << "window=" << spec.window << " n_steps=" << spec.n_steps << " modes={"
       << pgf::funnel_modes_to_string(spec.modes) << "} rows=[";
    for (std::size_t i = 0; i < ev.size(); ++i) {
        if (i) os << ", ";
        os << "{" << ev[i].ts << ", steps(";
        bool first = true;
        for (int s = 1; s <= 64; ++s)
            if (ev[i].mask >> (s - 1) & 1) {
                os << (first ? "" : ",") << s;
                first = false;
            }
        os << ")}";
    }
    os << "]";
    return os.str();
}

std::string show(const Times& t) {
    std::ostringstream os;
    os << "(";
    for (std::size_t i = 0; i < t.size(); ++i) os << (i ? "," : "") << t[i];
    os << ")";
    return os.str();
}

int level_of(const FunnelSpec& spec, std::vector<Event> ev) {
    pgf::check_funnel_spec(spec);
    pgf::sort_events(ev.data(), ev.size());
    return pgf::funnel_level(spec, ev.data(), ev.size());
}

Times times_of(const FunnelSpec& spec, std::vector<Event> ev) {
    pgf::check_funnel_spec(spec);
    pgf::sort_events(ev.data(), ev.size());
    return pgf::funnel_times(spec, ev.data(), ev.size());
}

int ref_level(const FunnelSpec& spec, std::vector<Event> ev) {
    pgf::sort_events(ev.data(), ev.size());
    return pgf_ref::level(spec, ev.data(), ev.size());
}

Times ref_times(const FunnelSpec& spec, std::vector<Event> ev) {
    pgf::sort_events(ev.data(), ev.size());
    return pgf_ref::times(spec, ev.data(), ev.size());
}

// Every combination of mode bits that check_funnel_modes accepts.
std::vector<Event> random_rows(std::mt19937_64& rng, int n_steps, bool allow_unmatched, std::int64_t ts_range) {
    std::uniform_int_distribution<int> n_rows(1, 10);
    std::uniform_int_distribution<std::int64_t> ts(0, ts_range);
    const std::uint64_t all = (std::uint64_t{1} << n_steps) - 1;
    std::uniform_int_distribution<std::uint64_t> mask(allow_unmatched ? 0 : 1, all);
    std::uniform_int_distribution<int> coin(0, 3);
    std::vector<Event> ev(static_cast<std::size_t>(n_rows(rng)));
    for (auto& e : ev) {
        e.ts = ts(rng);
        // Bias towards single-step rows now and then: they make long chains likelier.
        if (coin(rng) == 0) {
            std::uniform_int_distribution<int> one(1, n_steps);
            e.mask = std::uint64_t{1} << (one(rng) - 1);
            if (allow_unmatched && coin(rng) == 0) e.mask = 0;
        } else {
            e.mask = mask(rng);
        }
    }
    return ev;
}

// Compares funnel_level and funnel_times with the reference; returns an empty
// string when they agree, else a description of the difference.
std::string compare_with_reference(const FunnelSpec& spec, const std::vector<Event>& ev) {
    const int want_level = ref_level(spec, ev);
    const Times want_times = ref_times(spec, ev);
    std::ostringstream os;
    if (want_times.size() != static_cast<std::size_t>(want_level)) os << "reference is inconsistent; ";
    const int got_level = level_of(spec, ev);
    Times got_times;
    std::string err;
    try {
        got_times = times_of(spec, ev);
    } catch (const pgf::Error& e) {
        err = e.what();
    }
    if (got_level == want_level && got_times == want_times && err.empty() && os.str().empty()) return "";
    os << describe(spec, ev) << "\n  level: got " << got_level << " want " << want_level << "\n  times: got "
       << show(got_times) << " want " << show(want_times) << (err.empty() ? "" : "\n  error: " + err);
    return os.str();
}

}  // namespace

// ------------------------------------------------------------ hand-computed cases

// Notation in the comments: "A@3" is a row at time 3 satisfying step 1 (A),
// B = step 2, C = step 3, ...; "{A,B}@0" one row satisfying both; "X@t" a row
// satisfying no step. Entries are walked by (time, step, row).

TEST(FunnelDefault, ClickHouseDocumentedWindow) {
    // windowFunnel(2) over steps 1..5 at t = 3..7: the chain 3,4,5 spans 2 <= 2;
    // step 4 at 6 is 3 after the start. Level 3, times (3,4,5).
    std::vector<Event> ev;
    for (int i = 0; i < 5; ++i) ev.push_back({3 + i, steps({i + 1})});
    const FunnelSpec spec = make_spec(2, 5);
    EXPECT_EQ(level_of(spec, ev), 3);
    EXPECT_EQ(times_of(spec, ev), (Times{3, 4, 5}));
}

TEST(FunnelDefault, OneRowFillsConsecutiveSteps) {
    // {A,B,C}@7: by default the same row may fill steps 1, 2, 3 -> 3, times (7,7,7).
    const std::vector<Event> ev{{7, steps({1, 2, 3})}};
    EXPECT_EQ(level_of(make_spec(10, 3), ev), 3);
    EXPECT_EQ(times_of(make_spec(10, 3), ev), (Times{7, 7, 7}));
    // strict_once: a row fills one step only -> 1.
    EXPECT_EQ(level_of(make_spec(10, 3, pgf::kStrictOnce), ev), 1);
    EXPECT_EQ(times_of(make_spec(10, 3, pgf::kStrictOnce), ev), (Times{7}));
    // strict_increase: times must strictly increase along the chain -> 1.
    EXPECT_EQ(level_of(make_spec(10, 3, pgf::kStrictIncrease), ev), 1);
    // any_order: all three steps inside [7, 17] -> 3; with strict_once one row -> 1.
    EXPECT_EQ(level_of(make_spec(10, 3, pgf::kAnyOrder), ev), 3);
    EXPECT_EQ(level_of(make_spec(10, 3, pgf::kAnyOrder | pgf::kStrictOnce), ev), 1);
}

TEST(FunnelDefault, WindowIsInclusive) {
    // A@0, B@5: 5 - 0 <= 5 -> 2; with window 4 -> 1.
    const std::vector<Event> ev{{0, steps({1})}, {5, steps({2})}};
    EXPECT_EQ(level_of(make_spec(5, 2), ev), 2);
    EXPECT_EQ(level_of(make_spec(4, 2), ev), 1);
    EXPECT_EQ(times_of(make_spec(4, 2), ev), (Times{0}));
}

TEST(FunnelDefault, WindowZeroAllowsEqualTimes) {
    // A@5 and B@5 as two rows: entries (5,1),(5,2) chain with span 0 -> 2.
    const std::vector<Event> ev{{5, steps({2})}, {5, steps({1})}};
    EXPECT_EQ(level_of(make_spec(0, 2), ev), 2);
    EXPECT_EQ(times_of(make_spec(0, 2), ev), (Times{5, 5}));
    // strict_increase forbids equal times -> 1.
    EXPECT_EQ(level_of(make_spec(0, 2, pgf::kStrictIncrease), ev), 1);
}

TEST(FunnelDefault, LaterStartReachesDeeper) {
    // A@0, A@10, B@12, C@13, window 5: from A@0 nothing (B@12 is 12 away);
    // from A@10: B@12 (2), C@13 (3) -> 3, times (10,12,13).
    const std::vector<Event> ev{{0, steps({1})}, {10, steps({1})}, {12, steps({2})}, {13, steps({3})}};
    EXPECT_EQ(level_of(make_spec(5, 3), ev), 3);
    EXPECT_EQ(times_of(make_spec(5, 3), ev), (Times{10, 12, 13}));
}

TEST(FunnelDefault, StepsOutOfOrderDoNotCount) {
    // B@1, A@2: B precedes every A -> 1; C@3 without a B after A -> still 1.
    const std::vector<Event> ev{{1, steps({2})}, {2, steps({1})}, {3, steps({3})}};
    EXPECT_EQ(level_of(make_spec(10, 3), ev), 1);
    EXPECT_EQ(times_of(make_spec(10, 3), ev), (Times{2}));
}

TEST(FunnelDefault, NoRowsNoSteps) {
    // No rows -> 0 and no times; rows without step 1 -> 0.
    const std::vector<Event> none;
    EXPECT_EQ(level_of(make_spec(10, 3), none), 0);
    EXPECT_TRUE(times_of(make_spec(10, 3), none).empty());
    const std::vector<Event> ev{{1, steps({2})}, {2, steps({3})}};
    EXPECT_EQ(level_of(make_spec(10, 3), ev), 0);
    EXPECT_TRUE(times_of(make_spec(10, 3), ev).empty());
}

TEST(FunnelTimes, EarliestAttemptThenEarliestSteps) {
    // A@0, A@3, B@4, C@5. Window 5: A@0 -> B@4 -> C@5 (span 5) -> 3, the
    // earliest start wins: (0,4,5). Window 4: from A@0, C@5 is out of reach,
    // from A@3 -> (3,4,5).
    const std::vector<Event> ev{{0, steps({1})}, {3, steps({1})}, {4, steps({2})}, {5, steps({3})}};
    EXPECT_EQ(times_of(make_spec(5, 3), ev), (Times{0, 4, 5}));
    EXPECT_EQ(times_of(make_spec(4, 3), ev), (Times{3, 4, 5}));
    // A@0, B@1, B@2, C@3: the earliest B that leads on -> (0,1,3).
    const std::vector<Event> ev2{{0, steps({1})}, {1, steps({2})}, {2, steps({2})}, {3, steps({3})}};
    EXPECT_EQ(times_of(make_spec(10, 3), ev2), (Times{0, 1, 3}));
}

TEST(FunnelTimes, EarliestAttemptEvenIfAnotherIsFasterLater) {
    // A@0, A@1, B@2, C@9, window 9: both starts reach 3; the earliest start,
    // A@0, gives (0,2,9).
    const std::vector<Event> ev{{0, steps({1})}, {1, steps({1})}, {2, steps({2})}, {9, steps({3})}};
    EXPECT_EQ(level_of(make_spec(9, 3), ev), 3);
    EXPECT_EQ(times_of(make_spec(9, 3), ev), (Times{0, 2, 9}));
    // Window 8: C@9 is 9 after A@0 -> only A@1 reaches 3 -> (1,2,9).
    EXPECT_EQ(times_of(make_spec(8, 3), ev), (Times{1, 2, 9}));
}

TEST(FunnelStrictDeduplication, RepeatedStepStops) {
    // A@1, B@2, B@3, C@4: at B@3 step 2 is already reached -> stop; level 2.
    // Without the mode, C@4 completes the funnel -> 3.
    const std::vector<Event> ev{{1, steps({1})}, {2, steps({2})}, {3, steps({2})}, {4, steps({3})}};
    EXPECT_EQ(level_of(make_spec(10, 3, pgf::kStrictDeduplication), ev), 2);
    EXPECT_EQ(times_of(make_spec(10, 3, pgf::kStrictDeduplication), ev), (Times{1, 2}));
    EXPECT_EQ(level_of(make_spec(10, 3), ev), 3);
}

TEST(FunnelStrictDeduplication, RepeatedFirstStepDoesNotStop) {
    // A@1, A@2, B@3, C@4: a repeated step 1 only starts a new chain -> 3.
    const std::vector<Event> ev{{1, steps({1})}, {2, steps({1})}, {3, steps({2})}, {4, steps({3})}};
    EXPECT_EQ(level_of(make_spec(10, 3, pgf::kStrictDeduplication), ev), 3);
    EXPECT_EQ(times_of(make_spec(10, 3, pgf::kStrictDeduplication), ev), (Times{1, 3, 4}));
}

TEST(FunnelStrictDeduplication, RepeatOfUnreachedStepIsHarmless) {
    // A@1, C@2, C@3, B@4, C@5: step 3 is not reached at C@3 -> no stop; B@4, C@5 -> 3.
    const std::vector<Event> ev{
        {1, steps({1})}, {2, steps({3})}, {3, steps({3})}, {4, steps({2})}, {5, steps({3})}};
    EXPECT_EQ(level_of(make_spec(10, 3, pgf::kStrictDeduplication), ev), 3);
    EXPECT_EQ(times_of(make_spec(10, 3, pgf::kStrictDeduplication), ev), (Times{1, 4, 5}));
}

TEST(FunnelStrictOrder, UnmatchedRowStops) {
    // A@1, B@2, X@3, C@4 under strict_order: X after the start stops the walk -> 2.
    const std::vector<Event> ev{{1, steps({1})}, {2, steps({2})}, {3, 0}, {4, steps({3})}};
    EXPECT_EQ(level_of(make_spec(10, 3, pgf::kStrictOrder), ev), 2);
    EXPECT_EQ(times_of(make_spec(10, 3, pgf::kStrictOrder), ev), (Times{1, 2}));
    // allow_reentry does not excuse a row that matches nothing -> still 2.
    EXPECT_EQ(level_of(make_spec(10, 3, pgf::kStrictOrder | pgf::kAllowReentry), ev), 2);
}

TEST(FunnelStrictOrder, UnmatchedRowBeforeStartIsHarmless) {
    // X@0, A@1, B@2: nothing started at X -> 2. X at the same time as A sorts
    // first (step 0) -> still 2.
    const std::vector<Event> ev{{0, 0}, {1, steps({1})}, {2, steps({2})}};
    EXPECT_EQ(level_of(make_spec(10, 2, pgf::kStrictOrder), ev), 2);
    const std::vector<Event> ev2{{1, 0}, {1, steps({1})}, {2, steps({2})}};
    EXPECT_EQ(level_of(make_spec(10, 2, pgf::kStrictOrder), ev2), 2);
}

TEST(FunnelStrictOrder, SkippedStepStops) {
    // A@1, C@2, B@3, C@4: at C@2 step 2 is not reached -> stop; level 1.
    const std::vector<Event> ev{{1, steps({1})}, {2, steps({3})}, {3, steps({2})}, {4, steps({3})}};
    EXPECT_EQ(level_of(make_spec(10, 3, pgf::kStrictOrder), ev), 1);
    EXPECT_EQ(times_of(make_spec(10, 3, pgf::kStrictOrder), ev), (Times{1}));
    // allow_reentry ignores C@2 and goes on: B@3, C@4 -> 3, times (1,3,4).
    const FunnelSpec reentry = make_spec(10, 3, pgf::kStrictOrder | pgf::kAllowReentry);
    EXPECT_EQ(level_of(reentry, ev), 3);
    EXPECT_EQ(times_of(reentry, ev), (Times{1, 3, 4}));
    // Default mode: C@2 is just ignored -> 3.
    EXPECT_EQ(level_of(make_spec(10, 3), ev), 3);
}

TEST(FunnelStrictOrder, ClickHouseExampleABXC) {
    // Steps A, B, C and an event X matching none: A, B, X, C -> 2 with strict_order.
    const std::vector<Event> ev{{1, steps({1})}, {2, steps({2})}, {3, 0}, {4, steps({3})}};
    EXPECT_EQ(level_of(make_spec(100, 3, pgf::kStrictOrder), ev), 2);
}

TEST(FunnelStrictOrder, StepBeforeStartIsHarmless) {
    // B@0, A@1, B@2: B@0 comes before anything started -> no stop; level 2.
    const std::vector<Event> ev{{0, steps({2})}, {1, steps({1})}, {2, steps({2})}};
    EXPECT_EQ(level_of(make_spec(10, 2, pgf::kStrictOrder), ev), 2);
}

TEST(FunnelStrictIncrease, Issue52844) {
    // c1@0, c1@1, c2@1: the chain c1@0 -> c2@1 strictly increases -> 2
    // (ClickHouse returns 1, its issue 52844). Times (0,1).
    const std::vector<Event> ev{{0, steps({1})}, {1, steps({1})}, {1, steps({2})}};
    EXPECT_EQ(level_of(make_spec(10, 2, pgf::kStrictIncrease), ev), 2);
    EXPECT_EQ(times_of(make_spec(10, 2, pgf::kStrictIncrease), ev), (Times{0, 1}));
}

TEST(FunnelStrictIncrease, RepeatedMultiStepRows) {
    // v0@1, {v1,v2,v3}@2, {v1,v2,v3}@3, {v1,v2,v3}@4 with 4 steps: v0@1 ->
    // v1@2 -> v2@3 -> v3@4 strictly increasing -> 4, times (1,2,3,4).
    const std::uint64_t rest = steps({2, 3, 4});
    const std::vector<Event> ev{{1, steps({1})}, {2, rest}, {3, rest}, {4, rest}};
    const FunnelSpec spec = make_spec(10, 4, pgf::kStrictIncrease);
    EXPECT_EQ(level_of(spec, ev), 4);
    EXPECT_EQ(times_of(spec, ev), (Times{1, 2, 3, 4}));
    // Window 2: v3@4 is 3 after v0@1 -> 3.
    EXPECT_EQ(level_of(make_spec(2, 4, pgf::kStrictIncrease), ev), 3);
}

TEST(FunnelStrictOnce, DistinctRows) {
    // {A,B}@0 then B@1: the row at 0 fills step 1, the row at 1 step 2 -> 2, (0,1).
    const std::vector<Event> ev{{0, steps({1, 2})}, {1, steps({2})}};
    EXPECT_EQ(level_of(make_spec(10, 2, pgf::kStrictOnce), ev), 2);
    EXPECT_EQ(times_of(make_spec(10, 2, pgf::kStrictOnce), ev), (Times{0, 1}));
    // Two identical rows {A,B}@0: one fills step 1, the other step 2 -> 2, (0,0).
    const std::vector<Event> twins{{0, steps({1, 2})}, {0, steps({1, 2})}};
    EXPECT_EQ(level_of(make_spec(0, 2, pgf::kStrictOnce), twins), 2);
    EXPECT_EQ(times_of(make_spec(0, 2, pgf::kStrictOnce), twins), (Times{0, 0}));
    // {A,B,C}@0 and {B,C}@0: steps 1..3 need three distinct rows -> 2.
    const std::vector<Event> two{{0, steps({1, 2, 3})}, {0, steps({2, 3})}};
    EXPECT_EQ(level_of(make_spec(0, 3, pgf::kStrictOnce), two), 2);
}

TEST(FunnelStrictOnce, TwinRowsUnderDeduplication) {
    // Regression: {A,B}@0 twice, strict_deduplication + strict_once. Entries:
    // (0,A,r0) (0,A,r1) (0,B,r0) (0,B,r1). At (0,B,r0) the chain r1.A -> r0.B
    // reaches 2; at (0,B,r1) step 2 is already reached -> stop. Level 2; the
    // only chain before the stop starts at r1 -> times (0,0). funnel_times used
    // to skip r1 as "identical" to r0 and failed with an internal error.
    const std::vector<Event> ev{{0, steps({1, 2})}, {0, steps({1, 2})}};
    const FunnelSpec spec = make_spec(3, 3, pgf::kStrictDeduplication | pgf::kStrictOnce);
    EXPECT_EQ(level_of(spec, ev), 2);
    EXPECT_EQ(times_of(spec, ev), (Times{0, 0}));
}

TEST(FunnelAnyOrder, StepsInAnyOrderWithinTheWindow) {
    // C@1, A@2, B@3. Window 2: [1,3] holds A, B, C -> 3; times: earliest A, B, C
    // in [1,3] = (2,3,1). Window 1: [1,2] holds C, A (no B) -> 1, [2,3] holds A, B
    // -> 2; times (2,3).
    const std::vector<Event> ev{{1, steps({3})}, {2, steps({1})}, {3, steps({2})}};
    EXPECT_EQ(level_of(make_spec(2, 3, pgf::kAnyOrder), ev), 3);
    EXPECT_EQ(times_of(make_spec(2, 3, pgf::kAnyOrder), ev), (Times{2, 3, 1}));
    EXPECT_EQ(level_of(make_spec(1, 3, pgf::kAnyOrder), ev), 2);
    EXPECT_EQ(times_of(make_spec(1, 3, pgf::kAnyOrder), ev), (Times{2, 3}));
}

TEST(FunnelAnyOrder, LevelIsAPrefixOfSteps) {
    // B@0, C@0 with no A -> 0: the level counts steps 1..k, all present.
    const std::vector<Event> ev{{0, steps({2})}, {0, steps({3})}};
    EXPECT_EQ(level_of(make_spec(5, 3, pgf::kAnyOrder), ev), 0);
    EXPECT_TRUE(times_of(make_spec(5, 3, pgf::kAnyOrder), ev).empty());
}

TEST(FunnelAnyOrder, StrictOnceNeedsDistinctRows) {
    // {A,B}@0, {A,B}@4. Window 4: default any_order -> 2, times (0,0); with
    // strict_once the two rows fill A and B -> 2, times (0,0) (the earliest
    // row satisfying each step). Window 3: one row per window -> any_order 2,
    // strict_once 1.
    const std::vector<Event> ev{{0, steps({1, 2})}, {4, steps({1, 2})}};
    EXPECT_EQ(level_of(make_spec(4, 2, pgf::kAnyOrder | pgf::kStrictOnce), ev), 2);
    EXPECT_EQ(times_of(make_spec(4, 2, pgf::kAnyOrder | pgf::kStrictOnce), ev), (Times{0, 0}));
    EXPECT_EQ(level_of(make_spec(3, 2, pgf::kAnyOrder), ev), 2);
    EXPECT_EQ(level_of(make_spec(3, 2, pgf::kAnyOrder | pgf::kStrictOnce), ev), 1);
}

TEST(FunnelLimits, SixtyFourSteps) {
    // One row satisfying all 64 steps: by default it fills them all -> 64.
    const std::vector<Event> ev{{0, ~std::uint64_t{0}}};
    EXPECT_EQ(level_of(make_spec(0, 64), ev), 64);
    EXPECT_EQ(times_of(make_spec(0, 64), ev), Times(64, 0));
    // 64 rows, row i at time i satisfying step i + 1 -> 64 with window 63, 63 with 62.
    std::vector<Event> chain;
    for (int i = 0; i < 64; ++i) chain.push_back({i, std::uint64_t{1} << i});
    EXPECT_EQ(level_of(make_spec(63, 64, pgf::kStrictIncrease | pgf::kStrictOnce), chain), 64);
    EXPECT_EQ(level_of(make_spec(62, 64), chain), 63);
    EXPECT_EQ(level_of(make_spec(63, 64, pgf::kAnyOrder | pgf::kStrictOnce), chain), 64);
}

TEST(FunnelLimits, ExtremeTimestamps) {
    // Times at the ends of int64: the window arithmetic must not overflow.
    const std::int64_t lo = std::numeric_limits<std::int64_t>::min();
    const std::int64_t hi = std::numeric_limits<std::int64_t>::max();
    const std::vector<Event> ev{{lo, steps({1})}, {hi, steps({2})}};
    EXPECT_EQ(level_of(make_spec(hi, 2), ev), 1);
    EXPECT_EQ(level_of(make_spec(hi, 2, pgf::kAnyOrder), ev), 1);
    const std::vector<Event> near{{hi - 1, steps({1})}, {hi, steps({2})}};
    EXPECT_EQ(level_of(make_spec(hi, 2), near), 2);
    EXPECT_EQ(times_of(make_spec(1, 2), near), (Times{hi - 1, hi}));
}

// ------------------------------------------------------------ stops after the full level

TEST(FunnelTimes, StopAfterFullLevelStillLimitsTimes) {
    // strict_deduplication + strict_once, window 3, 3 steps:
    // {A,B}@0, {C}@0, {A,C}@0, B@1, C@2 (rows r0..r4 in (ts, mask) order).
    // Entries at 0: (A,r0) (A,r2) (B,r0) (C,r1) (C,r2). At (C,r1) the chain
    // r2.A -> r0.B -> r1.C completes the funnel; at (C,r2) step 3 is already
    // reached, so the walk stops there. The only chain before the stop starts at
    // r2: times (0,0,0). The chain r0.A -> B@1 -> C@2 starts earlier but uses
    // entries after the stop. (funnel.cpp used to end its walk at the full level
    // and returned (0,1,2).)
    const std::vector<Event> ev{
        {0, steps({1, 2})}, {0, steps({3})}, {0, steps({1, 3})}, {1, steps({2})}, {2, steps({3})}};
    const FunnelSpec spec = make_spec(3, 3, pgf::kStrictDeduplication | pgf::kStrictOnce);
    EXPECT_EQ(level_of(spec, ev), 3);
    EXPECT_EQ(times_of(spec, ev), (Times{0, 0, 0}));
    EXPECT_EQ(ref_times(spec, ev), (Times{0, 0, 0}));
}

TEST(FunnelTimes, UnmatchedRowAfterFullLevelStillLimitsTimes) {
    // strict_order + strict_once + allow_reentry, window 4, 4 steps:
    // {B,C}@0 {A,B,C}@0 {D}@0 {A,D}@0 (r0..r3), {A,B,C,D}@3, X@4, D@4.
    // At 0 the chain r3.A -> r0.B -> r1.C -> r2.D completes (0,0,0,0). The
    // earlier start r1.A cannot finish at 0 (r0 is its only other B/C row);
    // it would need {A,B,C,D}@3 for C and D@4, but X@4 (step 0) comes first at
    // time 4 and stops the walk. Times (0,0,0,0), not (0,0,3,4).
    const std::vector<Event> ev{{0, steps({2, 3})}, {0, steps({1, 2, 3})}, {0, steps({4})},
                                {0, steps({1, 4})}, {3, steps({1, 2, 3, 4})}, {4, 0},
                                {4, steps({4})}};
    const FunnelSpec spec = make_spec(4, 4, pgf::kStrictOrder | pgf::kStrictOnce | pgf::kAllowReentry);
    EXPECT_EQ(level_of(spec, ev), 4);
    EXPECT_EQ(times_of(spec, ev), (Times{0, 0, 0, 0}));
    EXPECT_EQ(ref_times(spec, ev), (Times{0, 0, 0, 0}));
}

// ------------------------------------------------------------ randomized vs reference

TEST(FunnelRandom, MatchesReferenceForEveryMode) {
    const std::vector<std::uint32_t> modes = pgf_ref::valid_modes();
    // 24 ordered combinations (5 bits, allow_reentry only with strict_order) + 2 any_order.
    ASSERT_EQ(modes.size(), 26u);
    std::mt19937_64 rng(20240611);
    std::uniform_int_distribution<int> n_steps_dist(1, 5);
    std::uniform_int_distribution<std::int64_t> window_dist(0, 6);
    std::uniform_int_distribution<int> range_dist(0, 9);
    int failures = 0, compared = 0;
    for (std::uint32_t m : modes) {
        for (int iter = 0; iter < 2500 && failures < 10; ++iter) {
            const int n_steps = n_steps_dist(rng);
            const FunnelSpec spec = make_spec(window_dist(rng), n_steps, m);
            // Mostly a tiny time range (many ties), sometimes a wider one.
            const std::int64_t ts_range = range_dist(rng) < 7 ? 4 : 12;
            const std::vector<Event> ev =
                random_rows(rng, n_steps, pgf::funnel_keeps_unmatched_rows(m), ts_range);
            const std::string diff = compare_with_reference(spec, ev);
            ++compared;
            if (!diff.empty()) {
                ++failures;
                ADD_FAILURE() << diff;
            }
        }
    }
    RecordProperty("compared", compared);
}

TEST(FunnelRandom, ShufflingDoesNotChangeTheAnswer) {
    std::mt19937_64 rng(77);
    std::uniform_int_distribution<int> n_steps_dist(1, 5);
    std::uniform_int_distribution<std::int64_t> window_dist(0, 6);
    for (std::uint32_t m : pgf_ref::valid_modes()) {
        for (int iter = 0; iter < 200; ++iter) {
            const int n_steps = n_steps_dist(rng);
            const FunnelSpec spec = make_spec(window_dist(rng), n_steps, m);
            std::vector<Event> ev = random_rows(rng, n_steps, pgf::funnel_keeps_unmatched_rows(m), 4);
            pgf::sort_events(ev.data(), ev.size());
            ASSERT_TRUE(pgf::events_sorted(ev.data(), ev.size()));
            const int level = pgf::funnel_level(spec, ev.data(), ev.size());
            const Times times = pgf::funnel_times(spec, ev.data(), ev.size());
            for (int k = 0; k < 3; ++k) {
                std::vector<Event> shuffled = ev;
                std::shuffle(shuffled.begin(), shuffled.end(), rng);
                pgf::sort_events(shuffled.data(), shuffled.size());
                ASSERT_EQ(shuffled, ev);
                EXPECT_EQ(pgf::funnel_level(spec, shuffled.data(), shuffled.size()), level) << describe(spec, ev);
                EXPECT_EQ(pgf::funnel_times(spec, shuffled.data(), shuffled.size()), times) << describe(spec, ev);
            }
        }
    }
}

// ------------------------------------------------------------ mode parsing

namespace {

void expect_names_valid_modes(const std::string& msg) {
    for (const char* name :
         {"strict_deduplication", "strict_order", "strict_increase", "strict_once", "allow_reentry", "any_order"})
        EXPECT_NE(msg.find(name), std::string::npos) << "\"" << msg << "\" does not name " << name;
}

// Parses `text`, expecting InvalidParameter; returns the message.
std::string parse_error(const std::string& text) {
    try {
        pgf::parse_funnel_modes(text);
    } catch (const pgf::Error& e) {
        EXPECT_EQ(e.kind(), pgf::ErrorKind::InvalidParameter) << text;
        return e.what();
    }
    ADD_FAILURE() << "\"" << text << "\" was accepted";
    return "";
}

}  // namespace

TEST(FunnelModes, ParsesValidLists) {
    EXPECT_EQ(pgf::parse_funnel_modes(""), 0u);
    EXPECT_EQ(pgf::parse_funnel_modes("   "), 0u);
    EXPECT_EQ(pgf::parse_funnel_modes("strict_order"), pgf::kStrictOrder);
    EXPECT_EQ(pgf::parse_funnel_modes("strict_deduplication"), pgf::kStrictDeduplication);
    EXPECT_EQ(pgf::parse_funnel_modes("strict_increase"), pgf::kStrictIncrease);
    EXPECT_EQ(pgf::parse_funnel_modes("strict_once"), pgf::kStrictOnce);
    EXPECT_EQ(pgf::parse_funnel_modes("strict_order,allow_reentry"), pgf::kStrictOrder | pgf::kAllowReentry);
    EXPECT_EQ(pgf::parse_funnel_modes("any_order,strict_once"), pgf::kAnyOrder | pgf::kStrictOnce);
    EXPECT_EQ(pgf::parse_funnel_modes("strict_order,strict_once"), pgf::kStrictOrder | pgf::kStrictOnce);
    // Repeats are harmless.
    EXPECT_EQ(pgf::parse_funnel_modes("strict_once,strict_once"), pgf::kStrictOnce);
}

TEST(FunnelModes, WhitespaceAndCase) {
    EXPECT_EQ(pgf::parse_funnel_modes("  strict_order ,\tstrict_once  "), pgf::kStrictOrder | pgf::kStrictOnce);
    EXPECT_EQ(pgf::parse_funnel_modes("STRICT_ORDER,Strict_Once"), pgf::kStrictOrder | pgf::kStrictOnce);
    EXPECT_EQ(pgf::parse_funnel_modes("\nAny_Order\n"), pgf::kAnyOrder);
}

TEST(FunnelModes, RoundTripsEveryValidCombination) {
    for (std::uint32_t m : pgf_ref::valid_modes()) EXPECT_EQ(pgf::parse_funnel_modes(pgf::funnel_modes_to_string(m)), m);
    EXPECT_EQ(pgf::funnel_modes_to_string(0), "");
}

TEST(FunnelModes, UnknownModeNamesTheValidOnes) {
    const std::string msg = parse_error("strict_order,bogus");
    EXPECT_NE(msg.find("bogus"), std::string::npos) << msg;
    expect_names_valid_modes(msg);
    expect_names_valid_modes(parse_error("strict_order strict_once"));  // a missing comma
    expect_names_valid_modes(parse_error("strictorder"));
}

TEST(FunnelModes, StrictIsNotAMode) {
    const std::string msg = parse_error("strict");
    EXPECT_NE(msg.find("strict_deduplication"), std::string::npos) << msg;
    expect_names_valid_modes(msg);
    expect_names_valid_modes(parse_error("STRICT"));
}

TEST(FunnelModes, EmptyToken) {
    expect_names_valid_modes(parse_error("strict_order,,strict_once"));
    expect_names_valid_modes(parse_error("strict_order,"));
    expect_names_valid_modes(parse_error(",strict_order"));
    expect_names_valid_modes(parse_error(" , "));
    expect_names_valid_modes(parse_error(","));
}

TEST(FunnelModes, AllowReentryNeedsStrictOrder) {
    const std::string msg = parse_error("allow_reentry");
    EXPECT_NE(msg.find("allow_reentry"), std::string::npos) << msg;
    EXPECT_NE(msg.find("strict_order"), std::string::npos) << msg;
    parse_error("allow_reentry,strict_once");
}

TEST(FunnelModes, AnyOrderCombinesOnlyWithStrictOnce) {
    for (const char* other : {"strict_order", "strict_deduplication", "strict_increase"}) {
        const std::string msg = parse_error(std::string("any_order,") + other);
        EXPECT_NE(msg.find("any_order"), std::string::npos) << msg;
        EXPECT_NE(msg.find(other), std::string::npos) << msg;
        EXPECT_NE(msg.find("strict_once"), std::string::npos) << msg;  // the one that is allowed
    }
    parse_error("any_order,strict_order,allow_reentry");
}

TEST(FunnelModes, CheckRejectsUnknownBits) {
    for (std::uint32_t bit = 6; bit < 32; ++bit) {
        try {
            pgf::check_funnel_modes(1u << bit);
            ADD_FAILURE() << "bit " << bit << " accepted";
        } catch (const pgf::Error& e) {
            EXPECT_EQ(e.kind(), pgf::ErrorKind::InvalidParameter);
        }
    }
    EXPECT_EQ(pgf_ref::valid_modes().size(), 26u);
}

// ------------------------------------------------------------ spec validation

namespace {

pgf::ErrorKind spec_error(const FunnelSpec& spec) {
    try {
        pgf::check_funnel_spec(spec);
    } catch (const pgf::Error& e) {
        return e.kind();
    }
    ADD_FAILURE() << "spec accepted: window=" << spec.window << " n_steps=" << spec.n_steps;
    return pgf::ErrorKind::Internal;
}

}  // namespace

TEST(FunnelSpecCheck, Errors) {
    EXPECT_EQ(spec_error(make_spec(-1, 3)), pgf::ErrorKind::InvalidParameter);
    EXPECT_EQ(spec_error(make_spec(std::numeric_limits<std::int64_t>::min(), 3)), pgf::ErrorKind::InvalidParameter);
    EXPECT_EQ(spec_error(make_spec(10, 0)), pgf::ErrorKind::InvalidParameter);
    EXPECT_EQ(spec_error(make_spec(10, -1)), pgf::ErrorKind::InvalidParameter);
    EXPECT_EQ(spec_error(make_spec(10, 65)), pgf::ErrorKind::LimitExceeded);
    EXPECT_EQ(spec_error(make_spec(10, 3, pgf::kAllowReentry)), pgf::ErrorKind::InvalidParameter);
    EXPECT_EQ(spec_error(make_spec(10, 3, 1u << 6)), pgf::ErrorKind::InvalidParameter);
}

TEST(FunnelSpecCheck, Accepts) {
    EXPECT_NO_THROW(pgf::check_funnel_spec(make_spec(0, 1)));
    EXPECT_NO_THROW(pgf::check_funnel_spec(make_spec(std::numeric_limits<std::int64_t>::max(), 64)));
    for (std::uint32_t m : pgf_ref::valid_modes()) EXPECT_NO_THROW(pgf::check_funnel_spec(make_spec(5, 3, m)));
}

TEST(FunnelSpecCheck, StepLimitMessage) {
    try {
        pgf::check_funnel_spec(make_spec(10, 65));
        ADD_FAILURE() << "65 steps accepted";
    } catch (const pgf::Error& e) {
        EXPECT_EQ(e.kind(), pgf::ErrorKind::LimitExceeded);
        EXPECT_NE(std::string(e.what()).find("64"), std::string::npos) << e.what();
    }
}

// ------------------------------------------------------------ a large input

TEST(FunnelLarge, MillionRowsOneActor) {
    // 1e6 rows for one actor: every mode must finish (no time assertion).
    constexpr std::size_t kRows = 1000000;
    std::mt19937_64 rng(5);
    std::vector<Event> ev(kRows);
    for (std::size_t i = 0; i < kRows; ++i) {
        ev[i].ts = static_cast<std::int64_t>(i / 4);  // four rows per timestamp
        ev[i].mask = (rng() & 0x1f) | 1u;             // 5 steps, step 1 always
    }
    pgf::sort_events(ev.data(), ev.size());
    for (std::uint32_t m : pgf_ref::valid_modes()) {
        const FunnelSpec spec = make_spec(1000, 5, m);
        const int level = pgf::funnel_level(spec, ev.data(), ev.size());
        const Times times = pgf::funnel_times(spec, ev.data(), ev.size());
        EXPECT_EQ(times.size(), static_cast<std::size_t>(level)) << pgf::funnel_modes_to_string(m);
        EXPECT_GE(level, 1);
    }
    // Step 2 appears only at the very end, A@0 .. A@999998 then B@999999: about
    // 1e6 starts fail before the one that reaches level 2. The strict_once
    // attempts rescan the window per start, so they must skip the starts that
    // are a window or more before B (1e6 x 1000 rows otherwise).
    std::vector<Event> late(kRows, Event{0, steps({1})});
    for (std::size_t i = 0; i < kRows; ++i) late[i].ts = static_cast<std::int64_t>(i);
    late.back().mask = steps({2});
    const std::int64_t last = static_cast<std::int64_t>(kRows) - 1;
    for (std::uint32_t m : pgf_ref::valid_modes()) {
        const std::int64_t window = 1000;
        const FunnelSpec spec = make_spec(window, 2, m);
        EXPECT_EQ(pgf::funnel_level(spec, late.data(), late.size()), 2) << pgf::funnel_modes_to_string(m);
        // Ordered: the earliest start with B in reach is A@(last - window). any_order:
        // the earliest window start a = last - window, and A's earliest row in it.
        EXPECT_EQ(pgf::funnel_times(spec, late.data(), late.size()), (Times{last - window, last}))
            << pgf::funnel_modes_to_string(m);
    }
}
