// The event-buffer state (pg/event_state.hpp): shared call parameters, growth,
// sorting for the final functions, and parallel support: combine, serialize,
// deserialize.
#include "pg/event_state.hpp"

#include <algorithm>
#include <cstring>
#include <new>

#include "core/event_state_codec.hpp"
#include "pg/context_arena.hpp"
#include "pg/guard.hpp"

namespace pgf::pg {

bool same_call(const EventCall& a, const EventCall& b) {
    if (a.kind != b.kind || a.spec != b.spec || a.param_size != b.param_size) return false;
    if ((a.param_text == nullptr) != (b.param_text == nullptr)) return false;
    return a.param_size == 0 || std::memcmp(a.param_text, b.param_text, a.param_size) == 0;
}

namespace {

EventCall* copy_call(MemoryContext context, const EventCall& from) {
    EventCall* c = make_in_context<EventCall>(context, from);
    if (from.param_text) c->param_text = copy_to_context(context, from.param_text, from.param_size);
    void* storage = MemoryContextAllocExtended(context, sizeof(PackedEvents), MCXT_ALLOC_NO_OOM);
    if (!storage) throw std::bad_alloc();
    c->empty = PackedEvents::empty_at(storage, c, c->spec.n_steps);
    return c;
}

}  // namespace

const EventCall* shared_call(FmgrInfo* flinfo, EventCallCache* cache, MemoryContext context, const EventCall& wanted) {
    if (cache->n_kept && same_call(*cache->kept[cache->last], wanted)) return cache->kept[cache->last];
    for (int i = 0; i < cache->n_kept; ++i) {
        if (same_call(*cache->kept[i], wanted)) {
            cache->last = i;
            return cache->kept[i];
        }
    }
    if (cache->n_kept == EventCallCache::kKept) return copy_call(context, wanted);
    cache->kept[cache->n_kept] = copy_call(flinfo->fn_mcxt, wanted);
    cache->last = cache->n_kept++;
    return cache->kept[cache->last];
}

EventState* new_event_state(MemoryContext context, const EventCall* call, std::size_t capacity, bool separate) {
    return PackedEvents::create(context_hooks(context), call, call->spec.n_steps, capacity, separate);
}

EventState* event_state_of(MemoryContext context, const EventCall* call, const std::vector<Event>& events) {
    const bool separate =
        std::any_of(events.begin(), events.end(), [](const Event& e) { return !PackedEvents::fusable(e.ts); });
    EventState* s = new_event_state(context, call, events.size(), separate);
    for (const Event& e : events) s->push_back(e);
    return s;
}

namespace {

// A state in the aggregate's context for `call`: a chunk of the context's arena
// when the context holds a hash table's groups, else a chunk of its own.
EventState* new_aggregate_state(FunctionCallInfo fcinfo, const EventCall* call, std::size_t n, bool separate) {
    MemoryContext context = aggregate_context(fcinfo);
    if (ChunkArena* arena = hash_table_arena(fcinfo, context))
        return PackedEvents::create(*arena, call, call->spec.n_steps, n, separate);
    return new_event_state(context, call, n, separate);
}

}  // namespace

EventState* grow_event_state(FunctionCallInfo fcinfo, EventState* s, std::size_t n, bool separate) {
    const bool unfuse = separate && s->fused();
    if (n <= s->capacity() && !unfuse) return s;
    if (s->capacity() == 0) return new_aggregate_state(fcinfo, &call_of(*s), n, separate);
    // A state of an arena grows there: the arena of the aggregate context it was
    // made in, which is the context of every later call for its group.
    if (s->from_arena()) {
        ChunkArena& arena = *context_arena(aggregate_context(fcinfo));
        return unfuse ? PackedEvents::separate(s, arena, n) : PackedEvents::reserve(s, arena, n);
    }
    const MemoryHooks hooks = context_hooks(GetMemoryChunkContext(s));
    return unfuse ? PackedEvents::separate(s, hooks, n) : PackedEvents::reserve(s, hooks, n);
}

EventState* append_events(FunctionCallInfo fcinfo, EventState* a, const EventState& b) {
    if (b.empty()) return a;
    a = grow_event_state(fcinfo, a, a->size() + b.size(), !b.fused());
    a->append(b);
    return a;
}

namespace {
std::vector<Event> g_scratch;
// Kept between calls up to this many events (1 MB).
constexpr std::size_t kScratchKept = 65536;
}  // namespace

ScratchEvents::ScratchEvents() : events_(g_scratch) { events_.clear(); }

ScratchEvents::~ScratchEvents() {
    events_.clear();
    if (events_.capacity() > kScratchKept) std::vector<Event>().swap(events_);
}

const Event* unpacked_events(const EventState& s, std::vector<Event>& scratch) {
    scratch.resize(s.size());
    s.unpack(scratch.data());
    return scratch.data();
}

const Event* sorted_events(EventState* s, std::vector<Event>& scratch) {
    unpacked_events(*s, scratch);
    if (!s->sorted()) {
        std::sort(scratch.begin(), scratch.end());
        s->store_sorted(scratch.data());
    }
    return scratch.data();
}

void check_step_count(int n) {
    if (n > kMaxSteps)
        fail(ErrorKind::LimitExceeded,
             "at most " + std::to_string(kMaxSteps) + " step conditions are supported, got " + std::to_string(n));
}

std::uint64_t steps_mask(ArrayType* steps, int* n_steps) {
    if (ARR_ELEMTYPE(steps) != BOOLOID) fail(ErrorKind::InvalidParameter, "steps must be boolean");
    if (ARR_NDIM(steps) > 1) fail(ErrorKind::InvalidParameter, "steps must be a one-dimensional boolean array");
    const int n = ARR_NDIM(steps) == 0 ? 0 : ARR_DIMS(steps)[0];
    if (n == 0) fail(ErrorKind::InvalidParameter, "at least one step condition is required");
    check_step_count(n);
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

EventCallCache* call_cache(FunctionCallInfo fcinfo) {
    if (!fcinfo->flinfo->fn_extra) fcinfo->flinfo->fn_extra = make_in_context<EventCallCache>(fcinfo->flinfo->fn_mcxt);
    return static_cast<EventCallCache*>(fcinfo->flinfo->fn_extra);
}

}  // namespace

}  // namespace pgf::pg

using pgf::pg::EventState;
using pgf::pg::call_of;

PGF_FUNCTION(event_state_combine) {
    MemoryContext context = pgf::pg::aggregate_context(fcinfo);
    EventState* a = PG_ARGISNULL(0) ? nullptr : reinterpret_cast<EventState*>(PG_GETARG_POINTER(0));
    EventState* b = PG_ARGISNULL(1) ? nullptr : reinterpret_cast<EventState*>(PG_GETARG_POINTER(1));
    if (!b) {
        if (!a) PG_RETURN_NULL();
        PG_RETURN_POINTER(a);
    }
    if (!a) {
        PG_RETURN_POINTER(pgf::pg::copy_event_state(
            fcinfo, pgf::pg::shared_call(fcinfo->flinfo, pgf::pg::call_cache(fcinfo), context, call_of(*b)), *b));
    }
    const pgf::pg::EventCall &ca = call_of(*a), &cb = call_of(*b);
    if (ca.kind != cb.kind || ca.spec != cb.spec)
        pgf::fail(pgf::ErrorKind::InvalidParameter,
                  "cannot combine states with different time types, windows, steps, step names or modes");
    PG_RETURN_POINTER(pgf::pg::append_events(fcinfo, a, *b));
}

PGF_FUNCTION(event_state_serialize) {
    const EventState* s = reinterpret_cast<const EventState*>(PG_GETARG_POINTER(0));
    const pgf::pg::EventCall& call = call_of(*s);
    pgf::EventStateHeader h;
    h.time_kind = static_cast<std::uint8_t>(call.kind);
    h.n_steps = static_cast<std::uint8_t>(call.spec.n_steps);
    h.sorted = s->sorted() ? 1 : 0;
    h.modes = call.spec.modes;
    h.window = call.spec.window;
    h.steps_id = call.spec.steps_id;
    const std::size_t size = pgf::encoded_state_size(s->size());
    if (size > MaxAllocSize - VARHDRSZ)
        pgf::fail(pgf::ErrorKind::LimitExceeded, "aggregate state is too large to send to a parallel worker");
    pgf::pg::ScratchEvents scratch;
    const pgf::Event* ev = pgf::pg::unpacked_events(*s, scratch.events());
    bytea* out = static_cast<bytea*>(palloc(VARHDRSZ + size));
    SET_VARSIZE(out, VARHDRSZ + size);
    pgf::encode_state(h, ev, s->size(), reinterpret_cast<unsigned char*>(VARDATA(out)));
    PG_RETURN_BYTEA_P(out);
}

PGF_FUNCTION(event_state_deserialize) {
    bytea* in = PG_GETARG_BYTEA_PP(0);
    pgf::pg::ScratchEvents scratch;
    // Every check lives in the core codec, which test/fuzz/fuzz_event_state.cpp fuzzes.
    const pgf::EventStateInfo info = pgf::decode_event_state(
        reinterpret_cast<const unsigned char*>(VARDATA_ANY(in)), VARSIZE_ANY_EXHDR(in), scratch.events());
    pgf::pg::EventCall wanted;
    wanted.kind = static_cast<pgf::pg::TimeKind>(info.time_kind);
    wanted.spec = info.spec;
    PG_RETURN_POINTER(pgf::pg::event_state_of(
        CurrentMemoryContext,
        pgf::pg::shared_call(fcinfo->flinfo, pgf::pg::call_cache(fcinfo), CurrentMemoryContext, wanted),
        scratch.events()));
}
