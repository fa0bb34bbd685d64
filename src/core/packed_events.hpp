// One actor's buffered events in a single allocation: a 16-byte header, then the
// events in one of two layouts. Fused (up to 8 steps, times within 2^55 units of
// 0: 1142 years around 2000 in microseconds): each event is one 8-byte word,
// (time << 8) | mask, whose signed order is the (time, mask) order. Separate (more
// steps, or a time beyond that): the 8-byte time, then the step mask in 1, 2, 4
// or 8 bytes by the step count. Most actors have a handful of events, so the
// allocation climbs a ladder of sizes four to a doubling up to 8 kB, from a
// ChunkArena (no chunk header, no rounding to a power of two), then by half again
// from the host's allocator: 2 fused events are one 32-byte chunk, 4 are 48
// bytes, 12 are 112 bytes.
//
// The buffer moves when it grows, so every function that may grow it returns the
// buffer to use from then on.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "core/chunk_arena.hpp"
#include "core/event.hpp"
#include "core/pod_array.hpp"

namespace pgf {

// The sizes a buffer's allocation climbs, by class.
namespace ladder {

constexpr std::uint64_t kHeaderBytes = 16;
constexpr unsigned kSize = 80;

// A layout: kFused, or the mask bytes (1, 2, 4, 8) after an 8-byte time.
constexpr unsigned kFused = 0;
constexpr std::uint64_t entry_bytes(unsigned layout) { return layout == kFused ? 8 : 8 + layout; }

struct Ladder {
    std::uint64_t bytes[kSize] = {};
    std::uint32_t capacity[9][kSize] = {};  // by layout
    unsigned size = 0;
    unsigned arena_classes = 0;
    unsigned hooks_first = 0;  // the first class of 48 bytes or more
};

// 16 bytes, then 32 to 8 kB by quarters of a doubling (the arena's chunks), then
// by half again until 2^32 - 1 events of the widest mask fit. The first chunk
// holds 2 fused events (1 of up to 64 steps): most actors keep a few rows, and
// in a table out of actor order the chunks that growing states leave behind
// after the last new actor stay on the free lists, which costs least when the
// small sizes are small (a 48-byte first chunk: 16.0 bytes per kept row on the
// benchmark's uniform table, 15.5 with this one).
constexpr Ladder make_ladder() {
    Ladder l;
    constexpr std::uint64_t kMaxEvents = 0xffffffffu;
    std::uint64_t bytes = kHeaderBytes;
    for (unsigned c = 0; c < kSize; ++c) {
        l.bytes[c] = bytes;
        for (unsigned layout : {kFused, 1u, 2u, 4u, 8u}) {
            const std::uint64_t cap = (bytes - kHeaderBytes) / entry_bytes(layout);
            l.capacity[layout][c] = static_cast<std::uint32_t>(cap < kMaxEvents ? cap : kMaxEvents);
        }
        l.size = c + 1;
        if (bytes <= ChunkArena::kMaxChunk && c > 0) l.arena_classes = c;
        if (l.hooks_first == 0 && bytes >= 48) l.hooks_first = c;
        if (l.capacity[8][c] == kMaxEvents) break;
        if (bytes < 32) {
            bytes = 32;
        } else if (bytes < ChunkArena::kMaxChunk) {
            std::uint64_t pow2 = 32;
            while (pow2 * 2 <= bytes) pow2 *= 2;
            bytes += pow2 / 4;
        } else {
            bytes = (bytes + bytes / 2 + 7) / 8 * 8;
        }
    }
    return l;
}
inline constexpr Ladder kLadder = make_ladder();
static_assert(ladder::kLadder.capacity[8][ladder::kLadder.size - 1] == 0xffffffffu,
              "the ladder reaches 2^32 - 1 events");
static_assert(ladder::kLadder.arena_classes < ChunkArena::kClasses, "every arena class has a free list");
static_assert(ladder::kLadder.bytes[ladder::kLadder.hooks_first] == 48, "buffers from hooks start at 48 bytes");

}  // namespace ladder

class PackedEvents {
public:
    // Sizes of the allocation, by class: class 0 is the header alone (the shared
    // empty state), classes 1..arena_classes() fit a ChunkArena chunk.
    static unsigned arena_classes() { return ladder::kLadder.arena_classes; }
    static std::size_t class_bytes(unsigned cls) { return ladder::kLadder.bytes[cls]; }

    // Bytes of a mask of n_steps bits (1..kMaxSteps).
    static unsigned mask_bytes(int n_steps) { return n_steps <= 8 ? 1 : n_steps <= 16 ? 2 : n_steps <= 32 ? 4 : 8; }
    // Can a fused event hold this time?
    static bool fusable(std::int64_t ts) { return ts >= -kFusedLimit && ts < kFusedLimit; }

    // A new empty buffer for masks of n_steps bits with room for at least
    // `capacity` events, from the hooks (48 bytes at least: each growth there is
    // a reallocation, dearer than a move between arena chunks), or from the
    // arena while it fits a chunk (32 bytes at least).
    // `owner` is the host's data shared by the buffers of one call (PostgreSQL:
    // time type, window, steps, modes). Fused when n_steps <= 8, unless
    // `separate` (a time that is not fusable is to come). Throws std::bad_alloc,
    // LimitExceeded beyond 2^32 - 1 events.
    static PackedEvents* create(const MemoryHooks& hooks, const void* owner, int n_steps, std::size_t capacity = 0,
                                bool separate = false);
    static PackedEvents* create(ChunkArena& arena, const void* owner, int n_steps, std::size_t capacity = 0,
                                bool separate = false);
    // Room for at least n events (moves the buffer when it grows). The first
    // form is for a buffer created from the hooks, which reallocate it; the
    // second for one created from the arena, which moves to a larger chunk, to
    // the arena's hooks beyond the largest, and is then reallocated by them.
    // Internal error for the other kind of buffer, and for an empty_at header,
    // which was not allocated.
    static PackedEvents* reserve(PackedEvents* p, const MemoryHooks& hooks, std::size_t n);
    static PackedEvents* reserve(PackedEvents* p, ChunkArena& arena, std::size_t n);
    // A fused buffer's events in a new separate one with room for at least n,
    // from the same allocator as reserve's; p is released. Internal error for a
    // buffer that is not fused, for the shared empty one, and for one of the
    // other allocator.
    static PackedEvents* separate(PackedEvents* p, const MemoryHooks& hooks, std::size_t n);
    static PackedEvents* separate(PackedEvents* p, ChunkArena& arena, std::size_t n);
    // A header with room for no event, in `storage` (sizeof(PackedEvents) bytes,
    // aligned for it): the state of every group that has kept no event yet, shared
    // by the groups of a call instead of an allocation each. It is never grown or
    // written: the first event goes to a buffer from create.
    static PackedEvents* empty_at(void* storage, const void* owner, int n_steps);

    PackedEvents(const PackedEvents&) = delete;
    PackedEvents& operator=(const PackedEvents&) = delete;

    const void* owner() const { return owner_; }
    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    std::size_t capacity() const { return capacity_of(class_, layout_); }
    bool full() const { return size_ == capacity(); }
    unsigned mask_width() const { return layout_ == ladder::kFused ? 1 : layout_; }
    bool fused() const { return layout_ == ladder::kFused; }
    // push_back can store e (a fused buffer holds only fusable times).
    bool accepts(const Event& e) const { return layout_ != ladder::kFused || fusable(e.ts); }
    // The events are in (ts, mask) order.
    bool sorted() const { return sorted_; }
    // Bytes of the whole allocation.
    std::size_t allocated_bytes() const { return class_bytes(class_); }
    // The buffer was created from a ChunkArena (it is one of its chunks, or came
    // from its hooks when it outgrew them); else from hooks, or it is an empty_at
    // header.
    bool from_arena() const { return origin_ != kFromHooks; }
    // It is a chunk of its arena.
    bool in_chunk() const { return origin_ == kArenaChunk; }

    Event at(std::size_t i) const {
        const unsigned char* p = data() + i * entry_bytes();
        if (layout_ == ladder::kFused) return unfuse(load<std::uint64_t>(p));
        Event e;
        std::memcpy(&e.ts, p, 8);
        e.mask = get_mask(p + 8, layout_);
        return e;
    }
    // Requires !full() and accepts(e). The mask must fit mask_width() bytes.
    void push_back(const Event& e) {
        if (layout_ != ladder::kFused) return push_separate(e);
        unsigned char* p = data() + static_cast<std::size_t>(size_) * 8;
        const std::uint64_t w = fuse(e);
        if (sorted_ && size_ && static_cast<std::int64_t>(w) < static_cast<std::int64_t>(load<std::uint64_t>(p - 8)))
            sorted_ = false;
        store<std::uint64_t>(p, w);
        ++size_;
    }
    // Appends every event of `other` (same mask width; a fused buffer takes only
    // a fused one's); requires the room.
    void append(const PackedEvents& other);
    // Copies the events into out[0..size()).
    void unpack(Event* out) const;
    // Replaces the events by ev[0..size()), which holds the same events sorted.
    void store_sorted(const Event* ev);

private:
    enum Origin : std::uint8_t { kFromHooks, kArenaChunk, kArenaHooks };

    PackedEvents(const void* owner, unsigned layout, unsigned cls, Origin origin)
        : owner_(owner),
          class_(static_cast<std::uint8_t>(cls)),
          layout_(static_cast<std::uint8_t>(layout)),
          origin_(origin) {}

    // push_back of the separate layout, out of line: the fused one is the hot path.
    void push_separate(const Event& e);

    static constexpr std::int64_t kFusedLimit = std::int64_t{1} << 55;
    static unsigned layout_of(int n_steps, bool separate) {
        return n_steps <= 8 && !separate ? ladder::kFused : mask_bytes(n_steps);
    }
    // The time in the high 56 bits: a left shift of its two's complement, then
    // an arithmetic right shift back.
    static std::uint64_t fuse(const Event& e) { return static_cast<std::uint64_t>(e.ts) << 8 | (e.mask & 0xff); }
    static Event unfuse(std::uint64_t w) { return Event{static_cast<std::int64_t>(w) >> 8, w & 0xff}; }

    // Events of a layout that fit class `cls` (at most 2^32 - 1).
    static std::uint32_t capacity_of(unsigned cls, unsigned layout) { return ladder::kLadder.capacity[layout][cls]; }
    // The smallest class beyond `after` with room for n events.
    static unsigned class_for(std::size_t n, unsigned layout, unsigned after);
    // A buffer from hooks starts at this class (48 bytes) or above.
    static unsigned first_hooks_class() { return ladder::kLadder.hooks_first; }
    std::size_t entry_bytes() const { return ladder::entry_bytes(layout_); }
    // A mask as an integer of w bytes in host order (the buffer is never
    // serialized). One fixed-size copy per width: a copy of a runtime length
    // would be a library call per event.
    template <typename U>
    static std::uint64_t load(const unsigned char* p) {
        U v;
        std::memcpy(&v, p, sizeof v);
        return v;
    }
    template <typename U>
    static void store(unsigned char* p, std::uint64_t mask) {
        const auto v = static_cast<U>(mask);
        std::memcpy(p, &v, sizeof v);
    }
    static std::uint64_t get_mask(const unsigned char* p, unsigned w) {
        return w == 1 ? load<std::uint8_t>(p)
               : w == 2 ? load<std::uint16_t>(p)
               : w == 4 ? load<std::uint32_t>(p)
                        : load<std::uint64_t>(p);
    }
    static void put_mask(unsigned char* p, std::uint64_t mask, unsigned w) {
        if (w == 1) store<std::uint8_t>(p, mask);
        else if (w == 2) store<std::uint16_t>(p, mask);
        else if (w == 4) store<std::uint32_t>(p, mask);
        else store<std::uint64_t>(p, mask);
    }
    unsigned char* data() { return reinterpret_cast<unsigned char*>(this + 1); }
    const unsigned char* data() const { return reinterpret_cast<const unsigned char*>(this + 1); }

    const void* owner_;
    std::uint32_t size_ = 0;
    std::uint8_t class_;
    std::uint8_t layout_;
    bool sorted_ = true;
    Origin origin_;
};
static_assert(sizeof(PackedEvents) == ladder::kHeaderBytes, "the header of an actor's events is 16 bytes");

}  // namespace pgf
