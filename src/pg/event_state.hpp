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

struct EventState {
    using Buffer = ContextSmallVector<Event, 4>;
    explicit EventState(MemoryContext context)
        : events(Buffer::allocator_type(ContextAllocator<Event>(context))) {}

    TimeKind kind = TimeKind::Timestamptz;
    FunnelSpec spec;
    bool sorted = true;
    Buffer events;
    // The modes argument as given on the first row, to check later rows with a
    // byte comparison instead of a parse (null when the state was not built by
    // the transition function).
    const char* modes_text = nullptr;
    std::size_t modes_size = 0;

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

// Steps of one row: a boolean[] (the VARIADIC argument) to a mask; a NULL
// element counts as false. Raises for zero steps or more than kMaxSteps.
std::uint64_t steps_mask(ArrayType* steps, int* n_steps);

}  // namespace pgf::pg
