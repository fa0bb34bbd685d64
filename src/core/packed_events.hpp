// One actor's buffered events in a single allocation: a 24-byte header, then each
// event as its 8-byte time and its step mask in 1, 2, 4 or 8 bytes, by the step
// count. Most actors have a handful of events, and a PostgreSQL chunk costs a
// power of two plus a 16-byte header: at 10 events of up to 8 steps the whole
// state is one 128-byte chunk (a separate state object and a 16-byte-per-event
// array came to 416 bytes).
//
// The buffer moves when it grows, so every function that may grow it returns the
// buffer to use from then on.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "core/event.hpp"
#include "core/pod_array.hpp"

namespace pgf {

class PackedEvents {
public:
    // Whole allocations are powers of two from this size up to kDoublingLimit
    // (the sizes PostgreSQL's allocator rounds to anyway), then grow by half.
    static constexpr std::size_t kFirstBytes = 64;
    static constexpr std::size_t kDoublingLimit = 8192;

    // Bytes of a mask of n_steps bits (1..kMaxSteps).
    static unsigned mask_bytes(int n_steps) { return n_steps <= 8 ? 1 : n_steps <= 16 ? 2 : n_steps <= 32 ? 4 : 8; }

    // A new empty buffer for masks of n_steps bits with room for at least
    // `capacity` events. `owner` is the host's data shared by the buffers of one
    // call (PostgreSQL: time type, window, steps, modes). Throws std::bad_alloc,
    // LimitExceeded beyond 2^32 - 1 events.
    static PackedEvents* create(const MemoryHooks& hooks, const void* owner, int n_steps, std::size_t capacity = 0);
    // Room for at least n events (moves the buffer when it grows). Internal
    // error for an empty_at header, which was not allocated through the hooks.
    static PackedEvents* reserve(PackedEvents* p, const MemoryHooks& hooks, std::size_t n);
    // A header with room for no event, in `storage` (sizeof(PackedEvents) bytes,
    // aligned for it): the state of every group that has kept no event yet, shared
    // by the groups of a call instead of a 64-byte allocation each. It is never
    // grown or written: the first event goes to a buffer from create.
    static PackedEvents* empty_at(void* storage, const void* owner, int n_steps);

    PackedEvents(const PackedEvents&) = delete;
    PackedEvents& operator=(const PackedEvents&) = delete;

    const void* owner() const { return owner_; }
    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    std::size_t capacity() const { return capacity_; }
    bool full() const { return size_ == capacity_; }
    unsigned mask_width() const { return mask_bytes_; }
    // The events are in (ts, mask) order.
    bool sorted() const { return sorted_; }
    // Bytes of the whole allocation.
    std::size_t allocated_bytes() const { return bytes_for(capacity_, mask_bytes_); }

    Event at(std::size_t i) const {
        const unsigned char* p = data() + i * entry_bytes();
        Event e;
        std::memcpy(&e.ts, p, 8);
        e.mask = get_mask(p + 8, mask_bytes_);
        return e;
    }
    // Requires !full(). The mask must fit mask_width() bytes.
    void push_back(const Event& e) {
        if (sorted_ && size_ && e < at(size_ - 1)) sorted_ = false;
        unsigned char* p = data() + static_cast<std::size_t>(size_) * entry_bytes();
        std::memcpy(p, &e.ts, 8);
        put_mask(p + 8, e.mask, mask_bytes_);
        ++size_;
    }
    // Appends every event of `other` (same mask width); requires the room.
    void append(const PackedEvents& other);
    // Copies the events into out[0..size()).
    void unpack(Event* out) const;
    // Replaces the events by ev[0..size()), which holds the same events sorted.
    void store_sorted(const Event* ev);

private:
    PackedEvents(const void* owner, unsigned mask_bytes, std::uint32_t capacity)
        : owner_(owner), capacity_(capacity), mask_bytes_(static_cast<std::uint8_t>(mask_bytes)) {}

    static std::size_t bytes_for(std::size_t capacity, unsigned mask_bytes) {
        return sizeof(PackedEvents) + capacity * (8 + mask_bytes);
    }
    // The bytes to allocate for at least n events, the smallest size on the
    // ladder that holds them and is beyond `beyond` bytes; sets the capacity.
    static std::size_t allocation_for(std::size_t n, unsigned mask_bytes, std::size_t beyond,
                                      std::uint32_t* capacity);
    std::size_t entry_bytes() const { return 8 + mask_bytes_; }
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
    std::uint32_t capacity_;
    std::uint8_t mask_bytes_;
    bool sorted_ = true;
};
static_assert(sizeof(PackedEvents) == 24, "the header of an actor's events is 24 bytes");

}  // namespace pgf
