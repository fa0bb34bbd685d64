// core_bench: single-threaded throughput of the pg_funnel core, without PostgreSQL.
//
//   BM_FunnelLevel   funnel_level over pre-sorted per-actor buffers, in events per
//                    second (items_per_second counts every buffered event given to
//                    the scan, including the ones an early stop skips).
//   BM_SortEvents    sort_events over shuffled (and already sorted) buffers.
//   BM_Pipeline      append + sort + funnel_level per actor with the state's packed
//                    buffer: the core's whole share of one GROUP BY actor_id query.
//   BM_FunnelReport  FunnelReportBuffer: 10M rows of 1M actors added one by one,
//                    then levels(): the core's share of a funnel_report query,
//                    with rows grouped by actor in key order (a clustered table)
//                    or in random order (the uniform table); integer keys
//                    or 16-byte keys (a uuid actor).
//   BM_ParseModes    parse_funnel_modes, which the SQL transition function runs
//                    on every row of the 5-argument form.
//   BM_StateBytes    bytes of an actor's funnel_steps state per buffered event, as
//                    PostgreSQL 15 would hold them (counters, not a timing).
//
// Arguments: steps (4 or 8), events per actor (10 = typical, 100000 = large),
// mode (index into kModes), shape (0 = realistic: decaying step frequencies,
// every step occurs; 1 = full scan: the last step never occurs, so the scan never
// finishes early). Each iteration processes about 1M events (100k actors of 10,
// or 10 actors of 1e5), so iterations are comparable.
//
// Run: build/bench/core_bench --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "../unit/arena_blocks.hpp"
#include "core/chunk_arena.hpp"
#include "core/event.hpp"
#include "core/funnel.hpp"
#include "core/funnel_report.hpp"
#include "core/packed_events.hpp"

namespace {

using pgf::Event;
using pgf::FunnelSpec;

constexpr std::int64_t kMicrosPerSecond = 1000000;
constexpr std::int64_t kDay = 86400 * kMicrosPerSecond;
constexpr std::int64_t kWindow = 7 * kDay;
constexpr std::int64_t kSpan = 28 * kDay;      // each actor's events spread over 28 days
constexpr std::size_t kEventsPerIteration = 1000000;

struct ModeCase {
    const char* name;
    std::uint32_t modes;
};
const ModeCase kModes[] = {
    {"default", 0},
    {"strict_order", pgf::kStrictOrder},
    {"strict_deduplication", pgf::kStrictDeduplication},
    {"strict_increase", pgf::kStrictIncrease},
    {"strict_once", pgf::kStrictOnce},
    {"any_order", pgf::kAnyOrder},
    {"strict_order,allow_reentry", pgf::kStrictOrder | pgf::kAllowReentry},
};
constexpr int kModeCount = static_cast<int>(sizeof(kModes) / sizeof(kModes[0]));

// Actors laid out back to back: actor a is ev[begin[a] .. begin[a + 1]).
struct Dataset {
    std::vector<Event> ev;
    std::vector<std::size_t> begin;
    std::size_t actors() const { return begin.size() - 1; }
};

// One event's step mask. Realistic: 40% of rows match no step ("page_view" and
// friends), the rest match step k with weight 2^-(k-1) (every step occurs, later
// ones rarer, as in a real funnel). Full scan: the same without the last step.
std::uint64_t draw_mask(std::mt19937_64& rng, int n_steps, int shape) {
    std::uniform_real_distribution<double> u(0.0, 1.0);
    if (u(rng) < 0.4) return 0;
    const int usable = shape == 1 ? n_steps - 1 : n_steps;
    double total = 0;
    for (int k = 0; k < usable; ++k) total += std::ldexp(1.0, -k);
    double x = u(rng) * total;
    for (int k = 0; k < usable; ++k) {
        x -= std::ldexp(1.0, -k);
        if (x <= 0) return std::uint64_t{1} << k;
    }
    return std::uint64_t{1} << (usable - 1);
}

// Events of `actors` actors, `per_actor` each, sorted per actor by (ts, mask).
// Times are whole milliseconds, so large actors have some ties. Rows matching no
// step are dropped unless the mode keeps them, as the SQL transition does.
Dataset make_dataset(std::size_t actors, std::size_t per_actor, int n_steps, std::uint32_t modes, int shape,
                     bool sorted = true, std::uint64_t seed = 42) {
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<std::int64_t> when(0, kSpan / 1000);
    Dataset d;
    d.ev.reserve(actors * per_actor);
    d.begin.reserve(actors + 1);
    const bool keep_unmatched = pgf::funnel_keeps_unmatched_rows(modes);
    for (std::size_t a = 0; a < actors; ++a) {
        d.begin.push_back(d.ev.size());
        const std::size_t first = d.ev.size();
        for (std::size_t i = 0; i < per_actor; ++i) {
            const std::uint64_t mask = draw_mask(rng, n_steps, shape);
            if (mask == 0 && !keep_unmatched) continue;
            d.ev.push_back(Event{when(rng) * 1000, mask});
        }
        if (sorted) std::sort(d.ev.begin() + static_cast<std::ptrdiff_t>(first), d.ev.end());
    }
    d.begin.push_back(d.ev.size());
    return d;
}

std::size_t actors_for(std::size_t per_actor) { return std::max<std::size_t>(1, kEventsPerIteration / per_actor); }

void set_label(benchmark::State& state, int mode, int shape) {
    state.SetLabel(std::string(kModes[mode].name) + (shape == 1 ? " full-scan" : " realistic"));
}

// ------------------------------------------------------------------ funnel_level

void BM_FunnelLevel(benchmark::State& state) {
    const int n_steps = static_cast<int>(state.range(0));
    const std::size_t per_actor = static_cast<std::size_t>(state.range(1));
    const int mode = static_cast<int>(state.range(2));
    const int shape = static_cast<int>(state.range(3));
    const FunnelSpec spec{kWindow, n_steps, kModes[mode].modes};
    const Dataset d = make_dataset(actors_for(per_actor), per_actor, n_steps, spec.modes, shape);
    std::int64_t levels = 0;
    for (auto _ : state) {
        for (std::size_t a = 0; a < d.actors(); ++a)
            levels += pgf::funnel_level(spec, d.ev.data() + d.begin[a], d.begin[a + 1] - d.begin[a]);
        benchmark::DoNotOptimize(levels);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * d.ev.size()));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * d.ev.size() * sizeof(Event)));
    state.counters["ns_per_actor"] = benchmark::Counter(static_cast<double>(state.iterations() * d.actors()),
                                                        benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
    state.counters["mean_level"] =
        static_cast<double>(levels) / static_cast<double>(state.iterations() * d.actors());
    set_label(state, mode, shape);
}

void FunnelLevelArgs(benchmark::internal::Benchmark* b) {
    b->ArgNames({"steps", "per_actor", "mode", "shape"});
    for (int steps : {4, 8})
        for (int per_actor : {10, 100000})
            for (int mode = 0; mode < kModeCount; ++mode)
                for (int shape : {0, 1}) b->Args({steps, per_actor, mode, shape});
}
BENCHMARK(BM_FunnelLevel)->Apply(FunnelLevelArgs);

// ------------------------------------------------------------------ sort_events

// Arg 2: 0 = shuffled buffers (the sort runs), 1 = already sorted (sort_events
// only checks the order, which is what a plan with pre-sorted input pays).
void BM_SortEvents(benchmark::State& state) {
    const std::size_t per_actor = static_cast<std::size_t>(state.range(0));
    const bool presorted = state.range(1) != 0;
    const Dataset d = make_dataset(actors_for(per_actor), per_actor, 4, pgf::kStrictOrder, 0, presorted);
    std::vector<Event> work(d.ev.size());
    for (auto _ : state) {
        state.PauseTiming();
        std::memcpy(work.data(), d.ev.data(), d.ev.size() * sizeof(Event));
        state.ResumeTiming();
        for (std::size_t a = 0; a < d.actors(); ++a)
            pgf::sort_events(work.data() + d.begin[a], d.begin[a + 1] - d.begin[a]);
        benchmark::ClobberMemory();
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * d.ev.size()));
    state.SetLabel(presorted ? "presorted" : "shuffled");
}
BENCHMARK(BM_SortEvents)->ArgNames({"per_actor", "presorted"})->ArgsProduct({{10, 100000}, {0, 1}});

// ------------------------------------------------------------------ append + sort + level

// What the core does for one GROUP BY actor_id group: push every row into the
// state's packed buffer (core/packed_events.hpp), then unpack, sort and scan, as
// the final function does. Rows arrive shuffled (hash aggregation sees them in
// table order). Excludes PostgreSQL's own per-row work (tuple deforming, VARIADIC
// array construction, fmgr calls).
void BM_Pipeline(benchmark::State& state) {
    const int n_steps = static_cast<int>(state.range(0));
    const std::size_t per_actor = static_cast<std::size_t>(state.range(1));
    const FunnelSpec spec{kWindow, n_steps, 0};
    const Dataset d = make_dataset(actors_for(per_actor), per_actor, n_steps, 0, 0, /*sorted=*/false);
    const pgf::MemoryHooks hooks = pgf::heap_memory_hooks();
    std::vector<Event> scratch;
    std::int64_t levels = 0;
    for (auto _ : state) {
        for (std::size_t a = 0; a < d.actors(); ++a) {
            pgf::PackedEvents* buf = pgf::PackedEvents::create(hooks, nullptr, n_steps);
            for (std::size_t i = d.begin[a]; i < d.begin[a + 1]; ++i) {
                if (buf->full()) buf = pgf::PackedEvents::reserve(buf, hooks, buf->size() + 1);
                buf->push_back(d.ev[i]);
            }
            scratch.resize(buf->size());
            buf->unpack(scratch.data());
            pgf::sort_events(scratch.data(), scratch.size());
            levels += pgf::funnel_level(spec, scratch.data(), scratch.size());
            hooks.release(hooks.ctx, buf);
        }
        benchmark::DoNotOptimize(levels);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * d.ev.size()));
}
BENCHMARK(BM_Pipeline)->ArgNames({"steps", "per_actor"})->ArgsProduct({{4, 8}, {10, 100000}});

// ------------------------------------------------------------------ funnel_report

void BM_FunnelReport(benchmark::State& state) {
    const bool shuffled = state.range(0) != 0;
    const bool uuid = state.range(1) != 0;
    constexpr std::size_t kActors = 1000000, kPerActor = 10;
    const FunnelSpec spec{kWindow, 4, 0};
    struct Row {
        std::int64_t key;
        Event e;
    };
    std::vector<Row> rows;
    {
        const Dataset d = make_dataset(kActors, kPerActor, 4, 0, 0, /*sorted=*/true);
        rows.reserve(d.ev.size());
        for (std::size_t a = 0; a < d.actors(); ++a)
            for (std::size_t i = d.begin[a]; i < d.begin[a + 1]; ++i)
                rows.push_back(Row{static_cast<std::int64_t>(a) * 7 + 3, d.ev[i]});
    }
    if (shuffled) std::shuffle(rows.begin(), rows.end(), std::mt19937_64(7));
    // uuid: 16-byte keys (a uuid or text actor column), one per actor.
    std::vector<unsigned char> uuids;
    if (uuid) {
        std::mt19937_64 rng(11);
        uuids.resize(kActors * 7 * 16 + 16 * 3 + 16);
        for (std::size_t a = 0; a < kActors; ++a) {
            const std::uint64_t hi = rng(), lo = rng();
            std::memcpy(uuids.data() + (a * 7 + 3) * 16, &hi, 8);
            std::memcpy(uuids.data() + (a * 7 + 3) * 16 + 8, &lo, 8);
        }
    }
    std::int64_t reached = 0;
    for (auto _ : state) {
        pgf::FunnelReportBuffer b(pgf::heap_memory_hooks(),
                                  uuid ? pgf::ActorKeyKind::Bytes : pgf::ActorKeyKind::Integer, spec);
        if (uuid)
            for (const Row& r : rows) b.add_bytes(uuids.data() + r.key * 16, 16, true, r.e.ts, r.e.mask);
        else
            for (const Row& r : rows) b.add_integer(r.key, true, r.e.ts, r.e.mask);
        reached += b.levels().back();
    }
    benchmark::DoNotOptimize(reached);
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * rows.size()));
}
BENCHMARK(BM_FunnelReport)
    ->ArgNames({"shuffled", "uuid"})
    ->ArgsProduct({{0, 1}, {0, 1}})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);

// ------------------------------------------------------------------ mode parsing

void BM_ParseModes(benchmark::State& state) {
    const char* text = state.range(0) == 0 ? "strict_order" : "strict_order, strict_once";
    std::uint32_t acc = 0;
    for (auto _ : state) {
        acc ^= pgf::parse_funnel_modes(text);
        benchmark::DoNotOptimize(acc);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
    state.SetLabel(text);
}
BENCHMARK(BM_ParseModes)->Arg(0)->Arg(1);

// ------------------------------------------------------------------ state size

// PostgreSQL 15 AllocSet: a request of at most 8 kB is rounded up to a power of
// two (at least 8) behind a 16-byte chunk header; a larger one gets its own block
// (a 16-byte chunk header plus a block header of about 40 bytes).
std::size_t palloc_footprint(std::size_t request) {
    constexpr std::size_t kChunkHeader = 16, kChunkLimit = 8192, kBlockHeader = 40;
    if (request > kChunkLimit) return request + kChunkHeader + kBlockHeader;
    std::size_t size = 8;
    while (size < request) size <<= 1;
    return size + kChunkHeader;
}

// Counters: state_bytes_per_event = what one actor's state (core/packed_events.hpp,
// the state of funnel_steps, funnel_times and the sequence functions: a chunk of
// the aggregate context's arena up to 8 kB, then one palloc chunk, built here
// through the same code as in the server) holds in the aggregate context, palloc
// rounding and headers included, / events; capacity_slack = capacity / size.
// The parameters all groups share are not counted: they are one per call site.
void BM_StateBytes(benchmark::State& state) {
    const std::size_t n = static_cast<std::size_t>(state.range(0));
    const int n_steps = static_cast<int>(state.range(1));
    double total = 0, slack = 0;
    for (auto _ : state) {
        ArenaBlocks blocks;
        pgf::ChunkArena arena(blocks.hooks());
        pgf::PackedEvents* s = pgf::PackedEvents::create(arena, nullptr, n_steps);
        for (std::size_t i = 0; i < n; ++i) {
            if (s->full()) s = pgf::PackedEvents::reserve(s, arena, s->size() + 1);
            s->push_back(Event{static_cast<std::int64_t>(i), 1});
        }
        benchmark::DoNotOptimize(s);
        const std::size_t bytes = s->in_chunk() ? s->allocated_bytes() : palloc_footprint(s->allocated_bytes());
        total = static_cast<double>(bytes) / static_cast<double>(n);
        slack = static_cast<double>(s->capacity()) / static_cast<double>(n);
    }
    state.counters["state_bytes_per_event"] = total;
    state.counters["capacity_slack"] = slack;
    state.counters["mask_bytes"] = pgf::PackedEvents::mask_bytes(n_steps);
}
BENCHMARK(BM_StateBytes)
    ->ArgNames({"events", "steps"})
    ->ArgsProduct({{1, 4, 10, 100, 1000, 100000, 1000000}, {8, 16, 32, 64}})
    ->Iterations(1);

}  // namespace
