// core_bench, journeys: the pattern matcher and sessionize over long sequences,
// single-threaded, without PostgreSQL. items_per_second counts matched events.
//
//   BM_PatternRealistic   (?1).*(?2)(?t<=3600) style patterns over 10-event actors
//                         (the typical GROUP BY actor_id shape), 1M events per pass.
//   BM_PatternHard        one actor with 1M events and the patterns that make a
//                         backtracking matcher exponential or quadratic: repeated
//                         stars with no final match, (?t==S) keeping S pending
//                         targets, count of every event. Linear here: the time per
//                         event must not grow with the argument (events).
//   BM_Sessionize         session numbers over sorted times, 1M events per pass.
//
// Run: build/bench/core_bench --benchmark_filter='Pattern|Sessionize'
#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "core/event.hpp"
#include "core/pattern.hpp"
#include "core/sessionize.hpp"

namespace {

using pgf::Event;

std::uint64_t cond(int n) { return std::uint64_t{1} << (n - 1); }

// Actors of 10 events over a day, three conditions with decaying frequency;
// times in seconds (units_per_second = 1).
std::vector<Event> realistic_events(std::size_t n, std::uint32_t seed) {
    std::mt19937_64 rng(seed);
    std::vector<Event> ev(n);
    for (auto& e : ev) {
        const auto r = rng() % 100;
        e.ts = static_cast<std::int64_t>(rng() % 86400);
        e.mask = r < 50 ? cond(1) : r < 70 ? cond(2) : r < 75 ? cond(3) : 0;
    }
    for (std::size_t i = 0; i < n; i += 10) pgf::sort_events(ev.data() + i, std::min<std::size_t>(10, n - i));
    return ev;
}

const char* const kRealisticPatterns[] = {
    "(?1).*(?2)",
    "(?1).*(?2)(?t<=3600).*(?3)",
    "(?1)(?2)",
    ".*(?1).*(?1).*(?3)",
};

// reuse = 1: one SequenceMatcher for every actor, as the final functions keep it;
// 0: a matcher per actor (the one-shot functions).
void BM_PatternRealistic(benchmark::State& state) {
    const std::size_t n = 1000000;
    const auto ev = realistic_events(n, 7);
    const pgf::Pattern p = pgf::parse_pattern(kRealisticPatterns[state.range(0)], 3, 1);
    const bool count = state.range(1) != 0;
    const bool reuse = state.range(2) != 0;
    pgf::SequenceMatcher matcher(p);
    for (auto _ : state) {
        std::uint64_t hits = 0;
        for (std::size_t i = 0; i < n; i += 10) {
            if (reuse)
                hits += count ? matcher.count(ev.data() + i, 10) : matcher.match(ev.data() + i, 10);
            else
                hits += count ? pgf::sequence_count(p, ev.data() + i, 10) : pgf::sequence_match(p, ev.data() + i, 10);
        }
        benchmark::DoNotOptimize(hits);
    }
    state.SetLabel(std::string(kRealisticPatterns[state.range(0)]) + (count ? " count" : " match") +
                   (reuse ? ", one matcher" : ", a matcher per actor"));
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
}
BENCHMARK(BM_PatternRealistic)
    ->ArgNames({"pattern", "count", "reuse"})
    ->ArgsProduct({{0, 1, 2, 3}, {0, 1}, {0, 1}});

enum HardCase { kStarsNoMatch = 0, kEqualityTarget = 1, kCountEvery = 2 };

void BM_PatternHard(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(1));
    std::vector<Event> ev(n);
    pgf::Pattern p;
    std::string label;
    switch (state.range(0)) {
    case kStarsNoMatch:
        // Every prefix of the pattern stays alive at every event; nothing matches.
        for (std::size_t i = 0; i < n; ++i) ev[i] = {static_cast<std::int64_t>(i), cond(1)};
        p = pgf::parse_pattern("(?1).*(?1).*(?1).*(?1).*(?2)", 2, 1);
        label = "(?1).*(?1).*(?1).*(?1).*(?2), no match";
        break;
    case kEqualityTarget:
        // (?t==S) keeps up to S pending target times at once.
        for (std::size_t i = 0; i < n; ++i)
            ev[i] = {static_cast<std::int64_t>(i), i % 1000 == 999 ? cond(3) : (i % 2 ? cond(2) : cond(1))};
        p = pgf::parse_pattern("(?1)(?t==100001)(?3)", 3, 1);
        label = "(?1)(?t==100001)(?3)";
        break;
    default:
        for (std::size_t i = 0; i < n; ++i) ev[i] = {static_cast<std::int64_t>(i / 3), cond(1 + static_cast<int>(i % 3))};
        p = pgf::parse_pattern("(?1).*(?2).*(?3)", 3, 1);
        label = "(?1).*(?2).*(?3), count";
        break;
    }
    for (auto _ : state) {
        if (state.range(0) == kCountEvery)
            benchmark::DoNotOptimize(pgf::sequence_count(p, ev.data(), n));
        else
            benchmark::DoNotOptimize(pgf::sequence_match(p, ev.data(), n));
    }
    state.SetLabel(label);
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
}
BENCHMARK(BM_PatternHard)
    ->ArgNames({"case", "events"})
    ->ArgsProduct({{kStarsNoMatch, kEqualityTarget, kCountEvery}, {100000, 1000000}})
    ->Unit(benchmark::kMillisecond);

void BM_Sessionize(benchmark::State& state) {
    const std::size_t n = 1000000;
    std::mt19937_64 rng(11);
    std::vector<std::int64_t> ts(n);
    std::int64_t t = 0;
    const std::int64_t minute = 60 * 1000000LL;
    for (auto& x : ts) {
        t += rng() % 20 == 0 ? 90 * minute : static_cast<std::int64_t>(rng() % (5 * minute));
        x = t;
    }
    for (auto _ : state) benchmark::DoNotOptimize(pgf::sessionize(ts.data(), n, 30 * minute));
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
}
BENCHMARK(BM_Sessionize)->Unit(benchmark::kMillisecond);

}  // namespace
