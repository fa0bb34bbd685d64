// The aggregate state shared by the per-actor event functions (funnel_steps,
// funnel_times, the sequence functions): the actor's events packed in one
// allocation in the aggregate's context (core/packed_events.hpp; for a hash
// table's groups a chunk of the context's arena, pg/context_arena.hpp), pointing
// to the call's parameters, which all groups with the same ones share. Order-
// insensitive: combine concatenates, the final function sorts.
#pragma once

#include <vector>

#include "core/event.hpp"
#include "core/funnel.hpp"
#include "core/packed_events.hpp"
#include "pg/context_allocator.hpp"
#include "pg/time_args.hpp"

namespace pgf::pg {

// The parameters of a group, as its first row gave them: time type, funnel spec
// (the sequence functions use only n_steps, their number of conditions) and a
// text (funnel modes or sequence pattern) for a byte comparison with later rows'.
// Null param_text: no text was given. `empty`: the state of every group of
// the call that has kept no row yet (shared_call makes it).
struct EventCall {
    FunnelSpec spec;
    TimeKind kind = TimeKind::Timestamptz;
    std::uint32_t param_size = 0;
    const char* param_text = nullptr;
    PackedEvents* empty = nullptr;
};
bool same_call(const EventCall& a, const EventCall& b);

// Calls kept for a call site (in an FmgrInfo's fn_extra, or a struct there): a
// few distinct parameter sets live for the query in fn_mcxt, so the million
// groups of one query point to one EventCall instead of holding a copy each.
struct EventCallCache {
    static constexpr int kKept = 8;
    const EventCall* kept[kKept] = {};
    int n_kept = 0;
    int last = 0;
};

// The call equal to `wanted` (its text copied), shared from the cache, or made in
// `context` (the state's) when the cache is full: a call must live as long as
// every state that points to it.
const EventCall* shared_call(FmgrInfo* flinfo, EventCallCache* cache, MemoryContext context, const EventCall& wanted);

using EventState = PackedEvents;

inline const EventCall& call_of(const EventState& s) { return *static_cast<const EventCall*>(s.owner()); }

// A new empty state in `context` for `call`, with room for `capacity` events,
// allocated from the context itself (a deserialized state). `separate`: a time
// that a fused state cannot hold is to come (PackedEvents::create).
EventState* new_event_state(MemoryContext context, const EventCall* call, std::size_t capacity = 0,
                            bool separate = false);
// The call's shared state without rows (PackedEvents::empty_at): a group's
// first state, which costs no allocation until it keeps a row (many actors
// never match a step). Never written; growing it makes a new state.
inline EventState* empty_event_state(const EventCall* call) { return call->empty; }
// A state in `context` for `call` holding `events` (a decoded state's).
EventState* event_state_of(MemoryContext context, const EventCall* call, const std::vector<Event>& events);

// Room for n events, and with `separate` for times a fused state cannot hold;
// returns the state, which moves when it grows or stops being fused. The shared
// empty state becomes a new state in the aggregate's context (in its arena for
// a hash table's groups: pg/context_arena.hpp).
EventState* grow_event_state(FunctionCallInfo fcinfo, EventState* s, std::size_t n, bool separate = false);
// Appends one event; returns the state (it may move).
inline EventState* append_event(FunctionCallInfo fcinfo, EventState* s, const Event& e) {
    if (s->full() || !s->accepts(e)) s = grow_event_state(fcinfo, s, s->size() + 1, !PackedEvents::fusable(e.ts));
    s->push_back(e);
    return s;
}
// Appends b's events to a (same call parameters), a state of this aggregate
// call's context; returns a (it may move).
EventState* append_events(FunctionCallInfo fcinfo, EventState* a, const EventState& b);
// A copy of b in the aggregate's context for `call`: a combine function's
// first state, since b may live in a short-lived context (a deserialized state).
inline EventState* copy_event_state(FunctionCallInfo fcinfo, const EventCall* call, const EventState& b) {
    return append_events(fcinfo, empty_event_state(call), b);
}

// Unpacked events for a final function or a decoder, reused across calls;
// trimmed after a large actor.
class ScratchEvents {
public:
    ScratchEvents();
    ~ScratchEvents();
    ScratchEvents(const ScratchEvents&) = delete;
    ScratchEvents& operator=(const ScratchEvents&) = delete;
    std::vector<Event>& events() { return events_; }

private:
    std::vector<Event>& events_;
};

// The state's events in `scratch` (resized to them), as stored.
const Event* unpacked_events(const EventState& s, std::vector<Event>& scratch);
// The state's events sorted in `scratch`; the state keeps them in that order
// too, so a window's next call (or another aggregate sharing the state) does not
// sort again.
const Event* sorted_events(EventState* s, std::vector<Event>& scratch);

// Steps of one row given as one boolean[] (VARIADIC array) to a mask; a NULL
// element counts as false. Raises for zero steps or more than kMaxSteps.
std::uint64_t steps_mask(ArrayType* steps, int* n_steps);
// Raises for more than kMaxSteps step conditions.
void check_step_count(int n);

}  // namespace pgf::pg
