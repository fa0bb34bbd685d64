#include "core/packed_events.hpp"

#include <limits>
#include <new>

#include "core/error.hpp"

namespace pgf {

std::size_t PackedEvents::allocation_for(std::size_t n, unsigned mask_bytes, std::size_t beyond,
                                         std::uint32_t* capacity) {
    constexpr std::size_t kMaxEvents = std::numeric_limits<std::uint32_t>::max();
    if (n > kMaxEvents) fail(ErrorKind::LimitExceeded, "more than 4294967295 events for one actor");
    const std::size_t need = bytes_for(n, mask_bytes);
    std::size_t bytes = kFirstBytes;
    while (bytes < need || bytes <= beyond) bytes = bytes < kDoublingLimit ? bytes * 2 : bytes + bytes / 2;
    std::size_t cap = (bytes - sizeof(PackedEvents)) / (8 + mask_bytes);
    if (cap > kMaxEvents) cap = kMaxEvents;
    *capacity = static_cast<std::uint32_t>(cap);
    return bytes_for(cap, mask_bytes);
}

PackedEvents* PackedEvents::create(const MemoryHooks& hooks, const void* owner, int n_steps, std::size_t capacity) {
    const unsigned w = mask_bytes(n_steps);
    std::uint32_t cap = 0;
    const std::size_t bytes = allocation_for(capacity, w, 0, &cap);
    void* p = hooks.allocate(hooks.ctx, bytes);
    if (!p) throw std::bad_alloc();
    return new (p) PackedEvents(owner, w, cap);
}

PackedEvents* PackedEvents::empty_at(void* storage, const void* owner, int n_steps) {
    return new (storage) PackedEvents(owner, mask_bytes(n_steps), 0);
}

PackedEvents* PackedEvents::reserve(PackedEvents* p, const MemoryHooks& hooks, std::size_t n) {
    if (n <= p->capacity_) return p;
    if (p->capacity_ == 0) fail(ErrorKind::Internal, "growing a shared empty event buffer");
    std::uint32_t cap = 0;
    // The next size on the ladder beyond the current one at least: it doubles or
    // adds half, so appends stay amortized O(1).
    const std::size_t bytes = allocation_for(n, p->mask_bytes_, p->allocated_bytes(), &cap);
    void* q = hooks.reallocate(hooks.ctx, p, bytes);
    if (!q) throw std::bad_alloc();
    p = static_cast<PackedEvents*>(q);
    p->capacity_ = cap;
    return p;
}

void PackedEvents::append(const PackedEvents& other) {
    if (other.empty()) return;
    if (other.mask_bytes_ != mask_bytes_ || capacity_ - size_ < other.size_)
        fail(ErrorKind::Internal, "appending events of another width or beyond the capacity");
    if (sorted_ && !(other.sorted_ && (empty() || !(other.at(0) < at(size_ - 1))))) sorted_ = false;
    std::memcpy(data() + static_cast<std::size_t>(size_) * entry_bytes(), other.data(),
                static_cast<std::size_t>(other.size_) * entry_bytes());
    size_ += other.size_;
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

}  // namespace

void PackedEvents::unpack(Event* out) const {
    switch (mask_bytes_) {
        case 1: unpack_width<std::uint8_t>(data(), size_, out); break;
        case 2: unpack_width<std::uint16_t>(data(), size_, out); break;
        case 4: unpack_width<std::uint32_t>(data(), size_, out); break;
        default: unpack_width<std::uint64_t>(data(), size_, out); break;
    }
}

void PackedEvents::store_sorted(const Event* ev) {
    const std::size_t n = size_;
    size_ = 0;
    sorted_ = true;
    for (std::size_t i = 0; i < n; ++i) push_back(ev[i]);
}

}  // namespace pgf
