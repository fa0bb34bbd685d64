// Tests of an actor's packed event buffer (core/packed_events.hpp): every event
// comes back as it went in for every mask width and both layouts (fused, and
// separate once a time beyond 56 bits comes), the order flag follows the
// events, the allocations stay on their size ladder, and limits and allocation
// failures are errors, never a write out of bounds (run it under ASan/UBSan).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <memory>
#include <random>
#include <vector>

#include "arena_blocks.hpp"
#include "core/chunk_arena.hpp"
#include "core/error.hpp"
#include "core/event.hpp"
#include "core/funnel.hpp"
#include "core/packed_events.hpp"
#include "core/pod_array.hpp"

namespace {

using pgf::Event;
using pgf::PackedEvents;

// malloc / realloc / free that also remember every size asked for.
struct Recorder {
    std::vector<std::size_t> sizes;
    bool fail = false;
};
void* rec_allocate(void* ctx, std::size_t bytes) {
    auto* r = static_cast<Recorder*>(ctx);
    r->sizes.push_back(bytes);
    return r->fail ? nullptr : std::malloc(bytes);
}
void* rec_reallocate(void* ctx, void* p, std::size_t bytes) {
    auto* r = static_cast<Recorder*>(ctx);
    r->sizes.push_back(bytes);
    return r->fail ? nullptr : std::realloc(p, bytes);
}
void rec_release(void*, void* p) { std::free(p); }

pgf::MemoryHooks hooks_of(Recorder* r) {
    pgf::MemoryHooks h;
    h.allocate = rec_allocate;
    h.reallocate = rec_reallocate;
    h.release = rec_release;
    h.ctx = r;
    return h;
}

struct Freed {
    void operator()(PackedEvents* p) const { std::free(p); }
};

// As the host appends: a time a fused buffer cannot hold makes it separate.
PackedEvents* append(PackedEvents* p, const pgf::MemoryHooks& h, const Event& e) {
    if (!p->accepts(e)) p = PackedEvents::separate(p, h, p->size() + 1);
    if (p->full()) p = PackedEvents::reserve(p, h, p->size() + 1);
    p->push_back(e);
    return p;
}
PackedEvents* append(PackedEvents* p, pgf::ChunkArena& arena, const Event& e) {
    if (!p->accepts(e)) p = PackedEvents::separate(p, arena, p->size() + 1);
    if (p->full()) p = PackedEvents::reserve(p, arena, p->size() + 1);
    p->push_back(e);
    return p;
}

std::vector<Event> unpacked(const PackedEvents& p) {
    std::vector<Event> out(p.size());
    p.unpack(out.data());
    return out;
}

constexpr std::int64_t kFusedLimit = std::int64_t{1} << 55;

// Random events of n_steps-bit masks, with the widest mask and equal times;
// `extremes`: also times at both ends of int64, and at both ends of the fused
// range and just beyond, from the 8th event on.
std::vector<Event> random_events(std::mt19937_64& rng, int n_steps, std::size_t n, bool extremes = true) {
    const std::uint64_t all = pgf::all_steps_mask(n_steps);
    std::vector<Event> ev;
    for (std::size_t i = 0; i < n; ++i) {
        const auto small = static_cast<std::int64_t>(rng() % 50);
        std::int64_t ts = small - 25;
        if (extremes && i >= 8) {
            switch (i % 7) {
                case 1: ts = -kFusedLimit + small; break;
                case 2: ts = kFusedLimit - 1 - small; break;
                case 3: ts = std::numeric_limits<std::int64_t>::min() + small; break;
                case 4: ts = small % 2 ? kFusedLimit : -kFusedLimit - 1; break;
                case 5: ts = std::numeric_limits<std::int64_t>::max() - small; break;
                default: break;
            }
        }
        ev.push_back(Event{ts, i % 5 == 0 ? all : rng() & all});
    }
    return ev;
}

bool all_fusable(const std::vector<Event>& ev, std::size_t n) {
    return std::all_of(ev.begin(), ev.begin() + static_cast<std::ptrdiff_t>(n),
                       [](const Event& e) { return PackedEvents::fusable(e.ts); });
}

TEST(PackedEvents, MaskWidthFollowsTheStepCount) {
    EXPECT_EQ(PackedEvents::mask_bytes(1), 1u);
    EXPECT_EQ(PackedEvents::mask_bytes(8), 1u);
    EXPECT_EQ(PackedEvents::mask_bytes(9), 2u);
    EXPECT_EQ(PackedEvents::mask_bytes(16), 2u);
    EXPECT_EQ(PackedEvents::mask_bytes(17), 4u);
    EXPECT_EQ(PackedEvents::mask_bytes(32), 4u);
    EXPECT_EQ(PackedEvents::mask_bytes(33), 8u);
    EXPECT_EQ(PackedEvents::mask_bytes(64), 8u);
}

TEST(PackedEvents, EventsComeBackForEveryWidth) {
    std::mt19937_64 rng(7);
    for (int n_steps : {1, 3, 8, 9, 16, 17, 31, 32, 33, 63, 64}) {
        for (std::size_t n : {0u, 1u, 4u, 5u, 11u, 12u, 100u, 3000u}) {
            SCOPED_TRACE(testing::Message() << n_steps << " steps, " << n << " events");
            Recorder r;
            const pgf::MemoryHooks h = hooks_of(&r);
            const int owner_tag = 0;
            PackedEvents* p = PackedEvents::create(h, &owner_tag, n_steps);
            const std::vector<Event> ev = random_events(rng, n_steps, n);
            for (std::size_t i = 0; i < n; ++i) {
                p = append(p, h, ev[i]);
                ASSERT_EQ(p->at(i), ev[i]);
                ASSERT_EQ(p->sorted(), std::is_sorted(ev.begin(), ev.begin() + static_cast<std::ptrdiff_t>(i) + 1));
                // Fused up to 8 steps until the first time beyond 56 bits.
                ASSERT_EQ(p->fused(), n_steps <= 8 && all_fusable(ev, i + 1));
            }
            std::unique_ptr<PackedEvents, Freed> owned(p);
            EXPECT_EQ(p->owner(), &owner_tag);
            EXPECT_EQ(p->size(), n);
            EXPECT_EQ(p->mask_width(), PackedEvents::mask_bytes(n_steps));
            EXPECT_EQ(unpacked(*p), ev);
            // Sorting through the caller keeps the multiset and sets the flag.
            std::vector<Event> sorted = ev;
            std::sort(sorted.begin(), sorted.end());
            p->store_sorted(sorted.data());
            EXPECT_TRUE(p->sorted());
            EXPECT_EQ(unpacked(*p), sorted);
        }
    }
}

// The ladder itself: class 0 is the bare header, then 32 bytes to 8 kB by
// quarters of a doubling (the arena's chunks), then by half again up to room
// for 2^32 - 1 events of 8-byte masks.
TEST(PackedEvents, LadderSizes) {
    EXPECT_EQ(PackedEvents::class_bytes(0), sizeof(PackedEvents));
    const std::vector<std::size_t> first = {32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320};
    for (std::size_t c = 0; c < first.size(); ++c) EXPECT_EQ(PackedEvents::class_bytes(unsigned(c + 1)), first[c]);
    const unsigned arena = PackedEvents::arena_classes();
    EXPECT_EQ(PackedEvents::class_bytes(arena), pgf::ChunkArena::kMaxChunk);
    EXPECT_LT(arena, pgf::ChunkArena::kClasses);
    EXPECT_EQ(PackedEvents::class_bytes(arena + 1), 12288u);
    EXPECT_EQ(PackedEvents::class_bytes(arena + 2), 18432u);
}

TEST(PackedEvents, AllocationsClimbTheLadder) {
    // Every size asked is on the ladder and larger than the one before, and the
    // allocation is at most half as large again as its events need (and 8
    // bytes of rounding).
    for (int n_steps : {4, 12, 20, 40}) {
        SCOPED_TRACE(testing::Message() << n_steps << " steps");
        Recorder r;
        const pgf::MemoryHooks h = hooks_of(&r);
        PackedEvents* p = PackedEvents::create(h, nullptr, n_steps);
        const std::size_t entry = n_steps <= 8 ? 8 : 8 + PackedEvents::mask_bytes(n_steps);
        for (std::size_t i = 0; i < 200000; ++i) {
            p = append(p, h, Event{static_cast<std::int64_t>(i), 1});
            if (p->allocated_bytes() > 48) {
                ASSERT_LE(2 * p->allocated_bytes(), 3 * (sizeof(PackedEvents) + p->size() * entry) + 16);
            }
        }
        std::unique_ptr<PackedEvents, Freed> owned(p);
        std::size_t before = 0;
        unsigned c = 1;
        for (std::size_t bytes : r.sizes) {
            EXPECT_GT(bytes, before);
            while (PackedEvents::class_bytes(c) < bytes) ++c;
            EXPECT_EQ(PackedEvents::class_bytes(c), bytes);
            before = bytes;
        }
        EXPECT_GE(p->capacity(), p->size());
        EXPECT_EQ(p->allocated_bytes(), r.sizes.back());
    }
    // The common actor: 10 events of up to 8 steps in 96 bytes, 4 in 48 (8
    // bytes each, after the 16-byte header); separate, 9 bytes each: 112 and 3.
    for (const bool separate : {false, true}) {
        Recorder r;
        const pgf::MemoryHooks h = hooks_of(&r);
        PackedEvents* p = PackedEvents::create(h, nullptr, 8, 0, separate);
        EXPECT_EQ(p->fused(), !separate);
        for (int i = 0; i < 10; ++i) {
            p = append(p, h, Event{i, 0x80});
            if (i == (separate ? 2 : 3)) {
                EXPECT_EQ(p->allocated_bytes(), 48u);
            }
        }
        std::unique_ptr<PackedEvents, Freed> owned(p);
        EXPECT_EQ(p->allocated_bytes(), separate ? 112u : 96u);
        EXPECT_EQ(r.sizes.front(), 48u);  // from hooks 48 bytes first; an arena's buffers start at 32
    }
    // A capacity asked for up front is granted in one allocation.
    Recorder r2;
    PackedEvents* q = PackedEvents::create(hooks_of(&r2), nullptr, 64, 1000);
    std::unique_ptr<PackedEvents, Freed> owned_q(q);
    EXPECT_GE(q->capacity(), 1000u);
    EXPECT_EQ(r2.sizes.size(), 1u);
}

// States in an arena: the same events as through the hooks, chunks reused after
// a state moves on, and the move out of the arena to the arena's hooks beyond
// its largest chunk.
TEST(PackedEvents, ArenaBuffers) {
    std::mt19937_64 rng(11);
    for (int n_steps : {1, 8, 9, 17, 33, 64}) {
        SCOPED_TRACE(testing::Message() << n_steps << " steps");
        ArenaBlocks blocks;
        pgf::ChunkArena arena(blocks.hooks());
        const int owner = 0;
        std::vector<PackedEvents*> states;
        std::vector<std::vector<Event>> want;
        for (std::size_t n : {0u, 1u, 2u, 3u, 5u, 10u, 100u, 2000u}) {
            PackedEvents* p = PackedEvents::create(arena, &owner, n_steps);
            EXPECT_TRUE(p->in_chunk());
            want.push_back(random_events(rng, n_steps, n));
            for (const Event& e : want.back()) p = append(p, arena, e);
            EXPECT_EQ(p->fused(), n_steps <= 8 && all_fusable(want.back(), n));
            EXPECT_TRUE(p->from_arena());
            EXPECT_EQ(p->in_chunk(), p->allocated_bytes() <= pgf::ChunkArena::kMaxChunk);
            states.push_back(p);
        }
        // States made later reuse the chunks the earlier ones left, and no two
        // live states overlap: every state still holds its own events.
        for (std::size_t i = 0; i < states.size(); ++i) {
            EXPECT_EQ(states[i]->owner(), &owner);
            EXPECT_EQ(unpacked(*states[i]), want[i]);
        }
        // 2000 events are beyond 8 kB at every width: that state left the chunks
        // for the arena's hooks. Hooks of their own cannot grow the arena's
        // states, nor the arena a state of other hooks.
        EXPECT_FALSE(states.back()->in_chunk());
        EXPECT_THROW(PackedEvents::reserve(states.back(), pgf::heap_memory_hooks(), 5000), pgf::Error);
        EXPECT_THROW(PackedEvents::reserve(states[2], pgf::heap_memory_hooks(), states[2]->capacity() + 1),
                     pgf::Error);
        PackedEvents* other = PackedEvents::create(pgf::heap_memory_hooks(), &owner, n_steps);
        std::unique_ptr<PackedEvents, Freed> owned(other);
        EXPECT_FALSE(other->from_arena());
        EXPECT_THROW(PackedEvents::reserve(other, arena, 100), pgf::Error);
        // A state given a capacity beyond a chunk comes from the hooks at once.
        const std::size_t taken = blocks.taken.size();
        PackedEvents* big = PackedEvents::create(arena, &owner, n_steps, 5000);
        EXPECT_TRUE(big->from_arena());
        EXPECT_FALSE(big->in_chunk());
        EXPECT_EQ(blocks.taken.size(), taken + 1);
        big->push_back(Event{1, 1});
        big = PackedEvents::reserve(big, arena, 50000);
        EXPECT_EQ(blocks.taken.size(), taken + 1);  // reallocated, not taken again
        EXPECT_EQ(unpacked(*big), (std::vector<Event>{{1, 1}}));
    }
}

// Where states go in the arena's first block (2 to 6 events of up to 8 steps
// take 32, 40, 48, 56 and 64 bytes): a state carved last grows where it is, one
// with others after it moves and leaves its chunk to the next state of that size.
TEST(PackedEvents, ArenaGrowsInPlaceAndReusesChunks) {
    ArenaBlocks blocks;
    pgf::ChunkArena arena(blocks.hooks());
    auto fill = [&](PackedEvents* p, int n) {
        for (int i = 0; i < n; ++i) {
            if (p->full()) p = PackedEvents::reserve(p, arena, p->size() + 1);
            p->push_back(Event{i, 1});
        }
        return p;
    };
    auto at = [&](const PackedEvents* p) {
        return reinterpret_cast<const unsigned char*>(p) - reinterpret_cast<const unsigned char*>(blocks.taken.at(0));
    };
    PackedEvents* a = fill(PackedEvents::create(arena, nullptr, 4), 6);
    EXPECT_EQ(at(a), 0);  // grown in place: 32, 40, 48, 56, then 64 bytes
    EXPECT_EQ(a->allocated_bytes(), 64u);
    PackedEvents* b = fill(PackedEvents::create(arena, nullptr, 4), 4);
    PackedEvents* c = fill(PackedEvents::create(arena, nullptr, 4), 4);
    EXPECT_EQ(at(b), 64);
    EXPECT_EQ(at(c), 64 + 48);
    b = fill(b, 1);  // not the last chunk: moves to a new 56-byte chunk
    EXPECT_EQ(at(b), 64 + 48 + 48);
    EXPECT_EQ(b->allocated_bytes(), 56u);
    PackedEvents* d = PackedEvents::create(arena, nullptr, 4, 4);
    EXPECT_EQ(at(d), 64);  // b's old chunk, of the size asked for
    d = fill(d, 4);
    EXPECT_EQ(arena.block_bytes(), pgf::ChunkArena::kFirstBlock);
    const std::vector<Event> four = {{0, 1}, {1, 1}, {2, 1}, {3, 1}};
    EXPECT_EQ(unpacked(*c), four);
    EXPECT_EQ(unpacked(*d), four);
    EXPECT_EQ(unpacked(*b), (std::vector<Event>{{0, 1}, {1, 1}, {2, 1}, {3, 1}, {0, 1}}));
}

// The fused layout: the bounds of its times, and the move to the separate
// layout (PackedEvents::separate) with the events and their order flag, the old
// chunk back on its free list; appends across layouts.
TEST(PackedEvents, FusedLayout) {
    EXPECT_TRUE(PackedEvents::fusable(0));
    EXPECT_TRUE(PackedEvents::fusable(-kFusedLimit));
    EXPECT_TRUE(PackedEvents::fusable(kFusedLimit - 1));
    EXPECT_FALSE(PackedEvents::fusable(kFusedLimit));
    EXPECT_FALSE(PackedEvents::fusable(-kFusedLimit - 1));
    EXPECT_FALSE(PackedEvents::fusable(std::numeric_limits<std::int64_t>::min()));
    // Microseconds since 2000-01-01 (PostgreSQL's timestamps): about 1142 years
    // either way.
    constexpr std::int64_t kMicrosPerYear = 31556952LL * 1000000;
    EXPECT_TRUE(PackedEvents::fusable(1141 * kMicrosPerYear));
    EXPECT_FALSE(PackedEvents::fusable(1142 * kMicrosPerYear));

    for (const bool sorted : {true, false}) {
        SCOPED_TRACE(sorted ? "sorted" : "not sorted");
        ArenaBlocks blocks;
        pgf::ChunkArena arena(blocks.hooks());
        const int owner = 0;
        PackedEvents* p = PackedEvents::create(arena, &owner, 8);
        ASSERT_TRUE(p->fused());
        EXPECT_EQ(p->allocated_bytes(), 32u);  // two fused events
        std::vector<Event> want = {{-kFusedLimit, 0xff}, {-1, 0x80}, {0, 1}, {kFusedLimit - 1, 0x7f}};
        if (!sorted) std::swap(want[1], want[2]);
        for (const Event& e : want) p = append(p, arena, e);
        EXPECT_EQ(p->allocated_bytes(), 48u);
        EXPECT_EQ(p->sorted(), sorted);
        const Event beyond{kFusedLimit, 2};
        EXPECT_FALSE(p->accepts(beyond));
        PackedEvents* chunk = p;
        p = append(p, arena, beyond);
        want.push_back(beyond);
        EXPECT_FALSE(p->fused());
        EXPECT_TRUE(p->accepts(beyond));
        EXPECT_EQ(p->owner(), &owner);
        EXPECT_EQ(p->mask_width(), 1u);
        EXPECT_EQ(p->sorted(), sorted);
        EXPECT_EQ(unpacked(*p), want);
        EXPECT_EQ(PackedEvents::create(arena, &owner, 8, 4), chunk);  // the fused chunk was released
        // Separating a separate buffer is a bug of the caller.
        EXPECT_THROW(PackedEvents::separate(p, arena, 10), pgf::Error);
    }

    // Through hooks: a fused buffer appends to a separate one, not the reverse.
    const pgf::MemoryHooks h = pgf::heap_memory_hooks();
    PackedEvents* fused = PackedEvents::create(h, nullptr, 4, 4);
    std::unique_ptr<PackedEvents, Freed> owned_fused(fused);
    fused->push_back(Event{3, 1});
    fused->push_back(Event{4, 2});
    PackedEvents* sep = PackedEvents::create(h, nullptr, 4, 4, /*separate=*/true);
    std::unique_ptr<PackedEvents, Freed> owned_sep(sep);
    sep->push_back(Event{1, 1});
    sep->append(*fused);
    EXPECT_EQ(unpacked(*sep), (std::vector<Event>{{1, 1}, {3, 1}, {4, 2}}));
    EXPECT_TRUE(sep->sorted());
    try {
        fused->append(*sep);
        FAIL() << "a fused buffer must refuse a separate one's events";
    } catch (const pgf::Error& e) {
        EXPECT_EQ(e.kind(), pgf::ErrorKind::Internal);
    }
    EXPECT_EQ(fused->size(), 2u);
    EXPECT_THROW(PackedEvents::separate(sep, h, 10), pgf::Error);
    PackedEvents* moved = PackedEvents::separate(owned_fused.release(), h, 1);
    owned_fused.reset(moved);
    EXPECT_FALSE(moved->fused());
    EXPECT_EQ(unpacked(*moved), (std::vector<Event>{{3, 1}, {4, 2}}));
}

TEST(PackedEvents, AppendKeepsTheOrderFlagTrue) {
    const pgf::MemoryHooks h = pgf::heap_memory_hooks();
    auto make = [&](std::vector<Event> ev) {
        PackedEvents* p = PackedEvents::create(h, nullptr, 3);
        for (const Event& e : ev) p = append(p, h, e);
        return std::unique_ptr<PackedEvents, Freed>(p);
    };
    struct Case {
        std::vector<Event> a, b;
    };
    const std::vector<Case> cases = {
        {{{1, 1}, {2, 2}}, {{2, 2}, {3, 1}}},  // b starts at a's end: still in order
        {{{1, 1}, {2, 2}}, {{2, 1}, {3, 1}}},  // same time, smaller mask: not
        {{{1, 1}, {5, 2}}, {{3, 1}}},          // b starts inside a
        {{{2, 1}, {1, 2}}, {{3, 1}}},          // a out of order
        {{{1, 1}}, {{3, 1}, {2, 1}}},          // b out of order
        {{}, {{3, 1}, {4, 1}}},                // a empty
        {{{3, 1}}, {}},                        // b empty
    };
    for (const Case& c : cases) {
        auto a = make(c.a);
        auto b = make(c.b);
        PackedEvents* grown = PackedEvents::reserve(a.release(), h, c.a.size() + c.b.size());
        a.reset(grown);
        a->append(*b);
        std::vector<Event> both = c.a;
        both.insert(both.end(), c.b.begin(), c.b.end());
        EXPECT_EQ(unpacked(*a), both);
        EXPECT_EQ(a->sorted(), std::is_sorted(both.begin(), both.end()));
    }
    // Another width, or too little room, is a bug of the caller.
    auto narrow = make({{1, 1}});
    PackedEvents* wide = PackedEvents::create(h, nullptr, 20);
    std::unique_ptr<PackedEvents, Freed> owned(wide);
    wide = append(wide, h, Event{1, 1});
    owned.release();
    owned.reset(wide);
    try {
        narrow->append(*wide);
        FAIL() << "appending events of another width must throw";
    } catch (const pgf::Error& e) {
        EXPECT_EQ(e.kind(), pgf::ErrorKind::Internal);
    }
    auto full = make({{1, 1}, {2, 1}, {3, 1}, {4, 1}});
    ASSERT_TRUE(full->full());
    auto more = make({{5, 1}});
    EXPECT_THROW(full->append(*more), pgf::Error);
    EXPECT_EQ(full->size(), 4u);
}

// The shared state of groups without rows: empty, sorted, full (so the first
// append goes elsewhere), never grown or written, and a buffer made for its first
// event has the same width and owner.
TEST(PackedEvents, SharedEmptyIsNeverWritten) {
    Recorder r;
    const pgf::MemoryHooks h = hooks_of(&r);
    for (int n_steps : {1, 8, 9, 16, 17, 32, 33, 64}) {
        alignas(PackedEvents) unsigned char storage[sizeof(PackedEvents)];
        const int owner = 0;
        PackedEvents* e = PackedEvents::empty_at(storage, &owner, n_steps);
        EXPECT_TRUE(e->empty());
        EXPECT_TRUE(e->full());
        EXPECT_TRUE(e->sorted());
        EXPECT_EQ(e->capacity(), 0u);
        EXPECT_EQ(e->owner(), &owner);
        EXPECT_EQ(e->mask_width(), PackedEvents::mask_bytes(n_steps));
        EXPECT_TRUE(unpacked(*e).empty());
        const std::size_t asked = r.sizes.size();
        try {
            PackedEvents::reserve(e, h, 1);
            ADD_FAILURE() << "growing the shared empty buffer must throw";
        } catch (const pgf::Error& err) {
            EXPECT_EQ(err.kind(), pgf::ErrorKind::Internal);
        }
        EXPECT_EQ(r.sizes.size(), asked);  // no allocation, no reallocation of storage
        EXPECT_EQ(PackedEvents::reserve(e, h, 0), e);
        std::unique_ptr<PackedEvents, Freed> one(PackedEvents::create(h, e->owner(), n_steps, 1));
        one->push_back(Event{5, 1});
        EXPECT_THROW(e->append(*one), pgf::Error);  // no room: Internal, nothing written
        EXPECT_TRUE(e->empty());
        one->append(*e);  // appending nothing changes nothing
        EXPECT_EQ(unpacked(*one), (std::vector<Event>{{5, 1}}));
    }
}

TEST(PackedEvents, LimitsAndFailuresAreErrors) {
    Recorder r;
    const pgf::MemoryHooks h = hooks_of(&r);
    PackedEvents* p = PackedEvents::create(h, nullptr, 8);
    std::unique_ptr<PackedEvents, Freed> owned(p);
    const std::size_t asked = r.sizes.size();
    try {
        PackedEvents::reserve(p, h, std::size_t{1} << 32);
        FAIL() << "more than 2^32 - 1 events must throw";
    } catch (const pgf::Error& e) {
        EXPECT_EQ(e.kind(), pgf::ErrorKind::LimitExceeded);
    }
    EXPECT_EQ(r.sizes.size(), asked);  // refused before allocating
    EXPECT_THROW(PackedEvents::create(h, nullptr, 8, std::size_t{1} << 32), pgf::Error);
    // The host's allocator failing: std::bad_alloc, and the buffer is unchanged.
    p = append(p, h, Event{1, 1});
    r.fail = true;
    EXPECT_THROW(PackedEvents::reserve(p, h, 1000), std::bad_alloc);
    EXPECT_THROW(PackedEvents::create(h, nullptr, 8), std::bad_alloc);
    EXPECT_EQ(p->size(), 1u);
    EXPECT_EQ(p->at(0), (Event{1, 1}));
}

}  // namespace
