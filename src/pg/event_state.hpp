// The aggregate state shared by the per-actor event functions (funnel_steps,
// funnel_times): the parameters of the call and the actor's events, in the
// aggregate's memory context. Order-insensitive: combine concatenates, the final
// function sorts.
#pragma once

#include "core/event.hpp"
#include "core/funnel.hpp"
#include "pg/context_allocator.hpp"
#include "pg/time_args.hpp"

namespace pgf::pg {

// An actor's events: room for four inline (most actors have few), then an array
// in the same memory context. Smaller than a boost small_vector with its
// allocator, so the whole EventState is 128 bytes: PostgreSQL rounds a chunk up
// to a power of two, and at 129 bytes every actor would cost 256.
class EventBuffer {
public:
    static constexpr std::uint32_t kInline = 4;

    explicit EventBuffer(MemoryContext context) : context_(context), data_(inline_) {}
    EventBuffer(const EventBuffer&) = delete;
    EventBuffer& operator=(const EventBuffer&) = delete;

    Event* data() { return data_; }
    const Event* data() const { return data_; }
    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    Event* begin() { return data_; }
    Event* end() { return data_ + size_; }
    const Event* begin() const { return data_; }
    const Event* end() const { return data_ + size_; }
    Event& back() { return data_[size_ - 1]; }

    void push_back(const Event& e) {
        if (size_ == capacity_) grow(static_cast<std::size_t>(size_) + 1);
        data_[size_++] = e;
    }
    void reserve(std::size_t n) {
        if (n > capacity_) grow(n);
    }
    void append(const Event* first, const Event* last);
    void assign(const Event* first, const Event* last) {
        size_ = 0;
        append(first, last);
    }

private:
    void grow(std::size_t need);

    MemoryContext context_;
    Event* data_;
    std::uint32_t size_ = 0;
    std::uint32_t capacity_ = kInline;
    Event inline_[kInline];
};

struct EventState {
    explicit EventState(MemoryContext context) : events(context) {}

    FunnelSpec spec;
    TimeKind kind = TimeKind::Timestamptz;
    bool sorted = true;
    // The group's text parameter as given on its first row (funnel modes, the
    // sequence pattern), to check later rows with a byte comparison instead of a
    // parse. Funnels: null when the state was not built by the transition
    // function.
    std::uint32_t param_size = 0;
    const char* param_text = nullptr;
    EventBuffer events;

    void append(const Event& e) {
        if (sorted && !events.empty() && e < events.back()) sorted = false;
        events.push_back(e);
    }
    // Sorting in place keeps the same multiset, so the state stays valid for
    // further rows (window use) and for other aggregates sharing it.
    void sort() {
        if (!sorted) {
            sort_events(events.data(), events.size());
            sorted = true;
        }
    }
};
static_assert(sizeof(EventState) <= 128, "an EventState fits a 128-byte chunk");

// Steps of one row: a boolean[] (the VARIADIC argument) to a mask; a NULL
// element counts as false. Raises for zero steps or more than kMaxSteps.
std::uint64_t steps_mask(ArrayType* steps, int* n_steps);

}  // namespace pgf::pg
