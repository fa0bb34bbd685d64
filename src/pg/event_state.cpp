// Parallel support of the event-buffer aggregates: combine, serialize, deserialize.
#include "pg/event_state.hpp"

#include <algorithm>
#include <cstring>
#include <limits>

#include "core/event_state_codec.hpp"
#include "pg/guard.hpp"

namespace pgf::pg {

void EventBuffer::grow(std::size_t need) {
    if (need > std::numeric_limits<std::uint32_t>::max())
        fail(ErrorKind::LimitExceeded, "more than 4294967295 events for one actor");
    std::size_t n = static_cast<std::size_t>(capacity_) * 2;
    if (n < need) n = need;
    if (n > std::numeric_limits<std::uint32_t>::max()) n = std::numeric_limits<std::uint32_t>::max();
    void* p = MemoryContextAllocExtended(context_, n * sizeof(Event), MCXT_ALLOC_HUGE | MCXT_ALLOC_NO_OOM);
    if (!p) throw std::bad_alloc();
    if (size_) std::memcpy(p, data_, static_cast<std::size_t>(size_) * sizeof(Event));
    if (data_ != inline_) pfree(data_);
    data_ = static_cast<Event*>(p);
    capacity_ = static_cast<std::uint32_t>(n);
}

void EventBuffer::append(const Event* first, const Event* last) {
    const auto n = static_cast<std::size_t>(last - first);
    if (n == 0) return;
    reserve(static_cast<std::size_t>(size_) + n);
    std::memcpy(data_ + size_, first, n * sizeof(Event));
    size_ += static_cast<std::uint32_t>(n);
}

std::uint64_t steps_mask(ArrayType* steps, int* n_steps) {
    if (ARR_ELEMTYPE(steps) != BOOLOID) fail(ErrorKind::InvalidParameter, "steps must be boolean");
    if (ARR_NDIM(steps) > 1) fail(ErrorKind::InvalidParameter, "steps must be a one-dimensional boolean array");
    const int n = ARR_NDIM(steps) == 0 ? 0 : ARR_DIMS(steps)[0];
    if (n == 0) fail(ErrorKind::InvalidParameter, "at least one step condition is required");
    if (n > kMaxSteps)
        fail(ErrorKind::LimitExceeded,
             "at most " + std::to_string(kMaxSteps) + " step conditions are supported, got " + std::to_string(n));
    *n_steps = n;
    const bool* values = reinterpret_cast<const bool*>(ARR_DATA_PTR(steps));
    const bits8* nulls = ARR_NULLBITMAP(steps);
    std::uint64_t mask = 0;
    for (int i = 0, k = 0; i < n; ++i) {
        if (nulls && !(nulls[i / 8] & (1 << (i % 8)))) continue;  // NULL: false, and no data slot
        if (values[k++]) mask |= std::uint64_t{1} << i;
    }
    return mask;
}

namespace {

void check_compatible(const EventState& a, const EventState& b) {
    if (a.kind != b.kind || a.spec != b.spec)
        fail(ErrorKind::InvalidParameter,
             "cannot combine states with different time types, windows, steps, step names or modes");
}

EventState* copy_state(MemoryContext context, const EventState& from) {
    EventState* to = make_in_context<EventState>(context, context);
    to->kind = from.kind;
    to->spec = from.spec;
    to->sorted = from.sorted;
    to->events.assign(from.events.begin(), from.events.end());
    return to;
}

}  // namespace

}  // namespace pgf::pg

using pgf::pg::EventState;

PGF_FUNCTION(event_state_combine) {
    MemoryContext context = pgf::pg::aggregate_context(fcinfo);
    EventState* a = PG_ARGISNULL(0) ? nullptr : reinterpret_cast<EventState*>(PG_GETARG_POINTER(0));
    EventState* b = PG_ARGISNULL(1) ? nullptr : reinterpret_cast<EventState*>(PG_GETARG_POINTER(1));
    if (!b) {
        if (!a) PG_RETURN_NULL();
        PG_RETURN_POINTER(a);
    }
    if (!a) PG_RETURN_POINTER(pgf::pg::copy_state(context, *b));
    pgf::pg::check_compatible(*a, *b);
    const std::size_t middle = a->events.size();
    a->events.append(b->events.begin(), b->events.end());
    if (a->sorted && b->sorted)
        std::inplace_merge(a->events.begin(), a->events.begin() + static_cast<std::ptrdiff_t>(middle), a->events.end());
    else
        a->sorted = false;
    PG_RETURN_POINTER(a);
}

PGF_FUNCTION(event_state_serialize) {
    const EventState* s = reinterpret_cast<const EventState*>(PG_GETARG_POINTER(0));
    pgf::EventStateHeader h;
    h.time_kind = static_cast<std::uint8_t>(s->kind);
    h.n_steps = static_cast<std::uint8_t>(s->spec.n_steps);
    h.sorted = s->sorted ? 1 : 0;
    h.modes = s->spec.modes;
    h.window = s->spec.window;
    h.steps_id = s->spec.steps_id;
    const std::size_t size = pgf::encoded_state_size(s->events.size());
    if (size > MaxAllocSize - VARHDRSZ)
        pgf::fail(pgf::ErrorKind::LimitExceeded, "aggregate state is too large to send to a parallel worker");
    bytea* out = static_cast<bytea*>(palloc(VARHDRSZ + size));
    SET_VARSIZE(out, VARHDRSZ + size);
    pgf::encode_state(h, s->events.data(), s->events.size(), reinterpret_cast<unsigned char*>(VARDATA(out)));
    PG_RETURN_BYTEA_P(out);
}

PGF_FUNCTION(event_state_deserialize) {
    bytea* in = PG_GETARG_BYTEA_PP(0);
    EventState* s = pgf::pg::make_in_context<EventState>(CurrentMemoryContext, CurrentMemoryContext);
    // Every check lives in the core codec, which test/fuzz/fuzz_event_state.cpp fuzzes.
    const pgf::EventStateInfo info = pgf::decode_event_state(
        reinterpret_cast<const unsigned char*>(VARDATA_ANY(in)), VARSIZE_ANY_EXHDR(in), s->events);
    s->kind = static_cast<pgf::pg::TimeKind>(info.time_kind);
    s->spec = info.spec;
    s->sorted = info.sorted;
    PG_RETURN_POINTER(s);
}
