#include "core/packed_events.hpp"

#include <limits>
#include <new>

#include "core/error.hpp"

namespace pgf {

unsigned PackedEvents::class_for(std::size_t n, unsigned layout, unsigned after) {
    if (n > std::numeric_limits<std::uint32_t>::max())
        fail(ErrorKind::LimitExceeded, "more than 4294967295 events for one actor");
    // A class beyond `after` at least: growth adds a quarter or a half, so
    // appends stay amortized O(1). The last class holds 2^32 - 1 events.
    unsigned c = after + 1;
    while (capacity_of(c, layout) < n) ++c;
    return c;
}

PackedEvents* PackedEvents::create(const MemoryHooks& hooks, const void* owner, int n_steps, std::size_t capacity,
                                   bool separate) {
    const unsigned layout = layout_of(n_steps, separate);
    // core_bench BM_Pipeline, 10 events per actor through malloc / realloc:
    // 37 M events/s from 32 bytes, 42 M from 48.
    const unsigned c = class_for(capacity, layout, first_hooks_class() - 1);
    void* p = hooks.allocate(hooks.ctx, class_bytes(c));
    if (!p) throw std::bad_alloc();
    return new (p) PackedEvents(owner, layout, c, kFromHooks);
}

PackedEvents* PackedEvents::create(ChunkArena& arena, const void* owner, int n_steps, std::size_t capacity,
                                   bool separate) {
    const unsigned layout = layout_of(n_steps, separate);
    const unsigned c = class_for(capacity, layout, 0);
    if (c <= arena_classes())
        return new (arena.allocate(c, class_bytes(c))) PackedEvents(owner, layout, c, kArenaChunk);
    PackedEvents* p = create(arena.hooks(), owner, n_steps, capacity, separate);
    p->origin_ = kArenaHooks;
    return p;
}

PackedEvents* PackedEvents::empty_at(void* storage, const void* owner, int n_steps) {
    return new (storage) PackedEvents(owner, layout_of(n_steps, false), 0, kFromHooks);
}

namespace {

void* reallocated(void* p, const MemoryHooks& hooks, std::size_t bytes) {
    void* q = hooks.reallocate(hooks.ctx, p, bytes);
    if (!q) throw std::bad_alloc();
    return q;
}

}  // namespace

PackedEvents* PackedEvents::reserve(PackedEvents* p, const MemoryHooks& hooks, std::size_t n) {
    if (n <= p->capacity()) return p;
    if (p->class_ == 0 || p->origin_ != kFromHooks)
        fail(ErrorKind::Internal, "growing a shared empty event buffer or an arena's buffer through hooks");
    const unsigned c = class_for(n, p->layout_, p->class_);
    p = static_cast<PackedEvents*>(reallocated(p, hooks, class_bytes(c)));
    p->class_ = static_cast<std::uint8_t>(c);
    return p;
}

PackedEvents* PackedEvents::reserve(PackedEvents* p, ChunkArena& arena, std::size_t n) {
    if (n <= p->capacity()) return p;
    if (p->origin_ == kFromHooks) fail(ErrorKind::Internal, "growing a buffer in an arena it does not come from");
    const unsigned c = class_for(n, p->layout_, p->class_);
    const std::size_t bytes = class_bytes(c);
    if (p->origin_ == kArenaHooks) {
        p = static_cast<PackedEvents*>(reallocated(p, arena.hooks(), bytes));
    } else if (c > arena_classes() || !arena.grow_in_place(p, class_bytes(p->class_), bytes)) {
        const bool chunk = c <= arena_classes();
        void* q = chunk ? arena.allocate(c, bytes) : arena.hooks().allocate(arena.hooks().ctx, bytes);
        if (!q) throw std::bad_alloc();
        std::memcpy(q, p, sizeof(PackedEvents) + static_cast<std::size_t>(p->size_) * p->entry_bytes());
        arena.release(p, p->class_);
        p = static_cast<PackedEvents*>(q);
        p->origin_ = chunk ? kArenaChunk : kArenaHooks;
    }
    p->class_ = static_cast<std::uint8_t>(c);
    return p;
}

namespace {

// The events of `from` in a new buffer `to` made for at least n of them, then
// `from` released by `release`.
template <typename Release>
PackedEvents* moved_events(PackedEvents* from, PackedEvents* to, Release release) {
    to->append(*from);
    release(from);
    return to;
}

}  // namespace

PackedEvents* PackedEvents::separate(PackedEvents* p, const MemoryHooks& hooks, std::size_t n) {
    if (!p->fused() || p->class_ == 0 || p->origin_ != kFromHooks)
        fail(ErrorKind::Internal, "separating a buffer that is not fused, or not from hooks");
    PackedEvents* q = create(hooks, p->owner_, 8, n < p->size_ ? p->size_ : n, /*separate=*/true);
    return moved_events(p, q, [&](PackedEvents* old) { hooks.release(hooks.ctx, old); });
}

PackedEvents* PackedEvents::separate(PackedEvents* p, ChunkArena& arena, std::size_t n) {
    if (!p->fused() || p->origin_ == kFromHooks)
        fail(ErrorKind::Internal, "separating a buffer that is not fused, or not from an arena");
    PackedEvents* q = create(arena, p->owner_, 8, n < p->size_ ? p->size_ : n, /*separate=*/true);
    return moved_events(p, q, [&](PackedEvents* old) {
        if (old->origin_ == kArenaChunk) arena.release(old, old->class_);
        else arena.hooks().release(arena.hooks().ctx, old);
    });
}

void PackedEvents::append(const PackedEvents& other) {
    if (other.empty()) return;
    if (other.mask_width() != mask_width() || (fused() && !other.fused()) || capacity() - size_ < other.size_)
        fail(ErrorKind::Internal, "appending events of another width or layout, or beyond the capacity");
    if (sorted_ && !(other.sorted_ && (empty() || !(other.at(0) < at(size_ - 1))))) sorted_ = false;
    if (other.layout_ == layout_) {
        std::memcpy(data() + static_cast<std::size_t>(size_) * entry_bytes(), other.data(),
                    static_cast<std::size_t>(other.size_) * entry_bytes());
        size_ += other.size_;
        return;
    }
    for (std::uint32_t i = 0; i < other.size_; ++i) push_back(other.at(i));
}

namespace {

template <typename U>
void unpack_width(const unsigned char* p, std::size_t n, Event* out) {
    for (std::size_t i = 0; i < n; ++i, p += 8 + sizeof(U)) {
        U mask;
        std::memcpy(&out[i].ts, p, 8);
        std::memcpy(&mask, p + 8, sizeof mask);
        out[i].mask = mask;
    }
}

void unpack_fused(const unsigned char* p, std::size_t n, Event* out) {
    for (std::size_t i = 0; i < n; ++i, p += 8) {
        std::uint64_t w;
        std::memcpy(&w, p, 8);
        out[i].ts = static_cast<std::int64_t>(w) >> 8;
        out[i].mask = w & 0xff;
    }
}

}  // namespace

void PackedEvents::unpack(Event* out) const {
    switch (layout_) {
        case ladder::kFused: unpack_fused(data(), size_, out); break;
        case 1: unpack_width<std::uint8_t>(data(), size_, out); break;
        case 2: unpack_width<std::uint16_t>(data(), size_, out); break;
        case 4: unpack_width<std::uint32_t>(data(), size_, out); break;
        default: unpack_width<std::uint64_t>(data(), size_, out); break;
    }
}

void PackedEvents::push_separate(const Event& e) {
    if (sorted_ && size_ && e < at(size_ - 1)) sorted_ = false;
    unsigned char* p = data() + static_cast<std::size_t>(size_) * entry_bytes();
    std::memcpy(p, &e.ts, 8);
    put_mask(p + 8, e.mask, layout_);
    ++size_;
}

void PackedEvents::store_sorted(const Event* ev) {
    const std::size_t n = size_;
    size_ = 0;
    sorted_ = true;
    for (std::size_t i = 0; i < n; ++i) push_back(ev[i]);
}

}  // namespace pgf
