// SQL family: sequence_match, sequence_count, sequence_match_times
// (ClickHouse's sequenceMatch / sequenceCount / sequenceMatchEvents).
//
// The state is the event buffer of funnel_steps (pg/event_state.hpp: one event per
// row that satisfies at least one condition), whose shared call holds the time
// kind, the condition count in spec.n_steps (window and modes left 0) and the
// pattern text. The pattern is parsed on the first row of a group to report a
// malformed pattern at once, and again in the final function; both parses are
// cached per query in fn_extra, keyed by (pattern text, condition count, time
// unit), so a query with one constant pattern parses it once per function, not
// once per group.
//
// Serialized form: core/sequence_codec.hpp (u32 little-endian pattern length,
// the pattern bytes, then the event-state encoding of core/state_codec.hpp),
// validated by its decoder (the fuzzer runs the same code) plus a pattern that
// parses.
#include <cstring>
#include <string>
#include <vector>

#include "core/interrupt.hpp"
#include "core/pattern.hpp"
#include "core/sequence_codec.hpp"
#include "pg/condition_args.hpp"
#include "pg/event_state.hpp"
#include "pg/guard.hpp"

using pgf::ErrorKind;
using pgf::Event;
using pgf::fail;
using pgf::Pattern;
using pgf::pg::call_of;
using pgf::pg::EventCall;
using pgf::pg::EventState;
using pgf::pg::TimeKind;

namespace {

constexpr std::int64_t kSecondsPerDay = 86400;

// What one second is worth in the unit the matcher sees. Timestamps are matched
// in microseconds. Dates are matched in seconds (day number x 86400): in
// microseconds the far end of the date range would overflow int64.
std::int64_t units_per_second(TimeKind kind) {
    return kind == TimeKind::Timestamptz || kind == TimeKind::Timestamp ? 1000000 : 1;
}

// An FmgrInfo's fn_extra: the last parsed pattern with its matcher, and the
// states' shared calls (pattern text, time kind, condition count), kept for the
// whole query (fn_mcxt). The matcher owns C++ heap memory, so a reset callback on
// fn_mcxt destroys it. `constant`: the transition function's pattern argument is a
// constant of the query, so later rows need no comparison (`constant_known`:
// the first state has looked).
struct PatternCache {
    char* text = nullptr;
    std::size_t size = 0;
    int n_conditions = 0;
    std::int64_t units = 0;
    pgf::SequenceMatcher* matcher = nullptr;  // null until the first pattern
    pgf::pg::EventCallCache calls;
    void* conditions = nullptr;  // the transition function's ConditionArgs
    bool constant = false;
    bool constant_known = false;
    MemoryContextCallback callback;
};

void destroy_pattern_cache(void* arg) {
    auto* c = static_cast<PatternCache*>(arg);
    if (c->matcher) c->matcher->~SequenceMatcher();
    c->matcher = nullptr;
}

PatternCache* pattern_cache(FmgrInfo* flinfo) {
    auto* c = static_cast<PatternCache*>(flinfo->fn_extra);
    if (!c) {
        c = pgf::pg::make_in_context<PatternCache>(flinfo->fn_mcxt);
        c->callback.func = destroy_pattern_cache;
        c->callback.arg = c;
        MemoryContextRegisterResetCallback(flinfo->fn_mcxt, &c->callback);
        flinfo->fn_extra = c;
    }
    return c;
}

// The matcher of the pattern (text, n_conditions, units); parses (and throws
// InvalidParameter for a malformed pattern) only when the key changes.
pgf::SequenceMatcher& cached_matcher(FmgrInfo* flinfo, const char* text, std::size_t size, int n_conditions,
                                     std::int64_t units) {
    PatternCache* c = pattern_cache(flinfo);
    if (c->matcher && c->size == size && c->n_conditions == n_conditions && c->units == units &&
        (size == 0 || std::memcmp(c->text, text, size) == 0))
        return *c->matcher;
    pgf::SequenceMatcher built(pgf::parse_pattern(std::string_view(text, size), n_conditions, units));
    char* copy = pgf::pg::copy_to_context(flinfo->fn_mcxt, text, size);
    if (c->text) pfree(c->text);
    c->text = copy;
    c->size = size;
    c->n_conditions = n_conditions;
    c->units = units;
    if (c->matcher) *c->matcher = std::move(built);
    else c->matcher = pgf::pg::make_in_context<pgf::SequenceMatcher>(flinfo->fn_mcxt, std::move(built));
    return *c->matcher;
}

const Pattern& cached_pattern(FmgrInfo* flinfo, const char* text, std::size_t size, int n_conditions,
                              std::int64_t units) {
    return cached_matcher(flinfo, text, size, n_conditions, units).pattern();
}

// The final functions' matcher for a state's pattern, reused across the groups.
pgf::SequenceMatcher& state_matcher(FunctionCallInfo fcinfo, const EventState& s) {
    const EventCall& call = call_of(s);
    return cached_matcher(fcinfo->flinfo, call.param_text, call.param_size, call.spec.n_steps,
                          units_per_second(call.kind));
}

std::string_view pattern_of(const EventState& s) {
    return std::string_view(call_of(s).param_text, call_of(s).param_size);
}

// The state's events sorted, in the matcher's unit (dates in seconds), in
// `scratch`.
const Event* matcher_events(EventState* s, std::vector<Event>& scratch) {
    const Event* ev = pgf::pg::sorted_events(s, scratch);
    if (call_of(*s).kind == TimeKind::Date)
        for (Event& e : scratch) e.ts *= kSecondsPerDay;  // |day| < 2^31: no overflow
    return ev;
}

void check_condition_count(int n) {
    if (n > pgf::kMaxSteps)
        fail(ErrorKind::LimitExceeded, "at most " + std::to_string(pgf::kMaxSteps) +
                                           " sequence conditions are supported, got " + std::to_string(n));
}

// The condition array of one row: at least one and at most kMaxSteps conditions.
std::uint64_t array_mask(ArrayType* conds, int* n) {
    if (ARR_NDIM(conds) == 0) fail(ErrorKind::InvalidParameter, "at least one sequence condition is required");
    if (ARR_NDIM(conds) == 1) check_condition_count(ARR_DIMS(conds)[0]);
    return pgf::pg::steps_mask(conds, n);
}

// The row's conditions (argument 3 on) as a mask; *n their number.
std::uint64_t conditions_mask(FunctionCallInfo fcinfo, int* n) {
    const pgf::pg::ConditionArgs& c =
        pgf::pg::condition_args(fcinfo, &pattern_cache(fcinfo->flinfo)->conditions, 3,
                                "sequence_match, sequence_count and sequence_match_times", check_condition_count);
    return c.row_mask(fcinfo, n, "sequence conditions must not be NULL", array_mask);
}

// The shared call of a state with this pattern text, time kind and condition
// count, made in `context` when fn_extra's cache cannot keep it.
const EventCall* sequence_call(FmgrInfo* flinfo, MemoryContext context, TimeKind kind, int n_conditions,
                               std::string_view pattern) {
    if (pattern.size() > UINT32_MAX) fail(ErrorKind::LimitExceeded, "sequence pattern too long");
    EventCall call;
    call.kind = kind;
    call.spec.n_steps = n_conditions;
    call.param_text = pattern.data();
    call.param_size = static_cast<std::uint32_t>(pattern.size());
    return pgf::pg::shared_call(flinfo, &pattern_cache(flinfo)->calls, context, call);
}

[[noreturn]] void corrupt(const std::string& what) { pgf::corrupt_sequence_state(what); }

}  // namespace

// sequence_sfunc(state, pattern, ts, VARIADIC conds)
PGF_FUNCTION(sequence_sfunc) {
    auto* state = PG_ARGISNULL(0) ? nullptr : reinterpret_cast<EventState*>(PG_GETARG_POINTER(0));
    if (PG_ARGISNULL(1)) fail(ErrorKind::NullNotAllowed, "sequence pattern must not be NULL");
    text* pattern = PG_GETARG_TEXT_PP(1);
    const std::string_view ptext(VARDATA_ANY(pattern), VARSIZE_ANY_EXHDR(pattern));
    int n = 0;
    const std::uint64_t mask = conditions_mask(fcinfo, &n);

    if (!state) {
        const TimeKind kind = pgf::pg::time_kind_of(get_fn_expr_argtype(fcinfo->flinfo, 2));
        cached_pattern(fcinfo->flinfo, ptext.data(), ptext.size(), n, units_per_second(kind));  // validates
        PatternCache* c = pattern_cache(fcinfo->flinfo);
        if (!c->constant_known) {
            c->constant = pgf::pg::argument_is_constant(fcinfo, 1);
            c->constant_known = true;
        }
        MemoryContext context = pgf::pg::aggregate_context(fcinfo);  // first row only
        state = pgf::pg::empty_event_state(sequence_call(fcinfo->flinfo, context, kind, n, ptext));
    } else {
        if (n != call_of(*state).spec.n_steps)
            fail(ErrorKind::InvalidParameter,
                 "the number of sequence conditions must be the same for every row of a group");
        const auto* c = static_cast<const PatternCache*>(fcinfo->flinfo->fn_extra);
        if (!(c && c->constant) && pattern_of(*state) != ptext)
            fail(ErrorKind::InvalidParameter, "the sequence pattern must be the same for every row of a group");
    }
    // A NULL time drops the row; a row that satisfies no condition is never an
    // event of the pattern (only "stored" rows take part).
    if (PG_ARGISNULL(2) || mask == 0) PG_RETURN_POINTER(state);
    const Event e{pgf::pg::time_value(call_of(*state).kind, PG_GETARG_DATUM(2)), mask};
    PG_RETURN_POINTER(pgf::pg::append_event(fcinfo, state, e));
}

PGF_FUNCTION(sequence_match_ffunc) {
    if (PG_ARGISNULL(0)) PG_RETURN_BOOL(false);
    auto* state = reinterpret_cast<EventState*>(PG_GETARG_POINTER(0));
    bool result = false;
    {
        pgf::SequenceMatcher& matcher = state_matcher(fcinfo, *state);
        pgf::pg::ScratchEvents scratch;
        const Event* ev = matcher_events(state, scratch.events());
        result = matcher.match(ev, state->size());
    }
    PG_RETURN_BOOL(result);
}

PGF_FUNCTION(sequence_count_ffunc) {
    if (PG_ARGISNULL(0)) PG_RETURN_INT64(0);
    auto* state = reinterpret_cast<EventState*>(PG_GETARG_POINTER(0));
    std::uint64_t result = 0;
    {
        pgf::SequenceMatcher& matcher = state_matcher(fcinfo, *state);
        pgf::pg::ScratchEvents scratch;
        const Event* ev = matcher_events(state, scratch.events());
        result = matcher.count(ev, state->size());
    }
    PG_RETURN_INT64(static_cast<std::int64_t>(result));
}

PGF_FUNCTION(sequence_match_times_ffunc) {
    if (PG_ARGISNULL(0)) {
        const Oid element = get_element_type(get_fn_expr_rettype(fcinfo->flinfo));
        PG_RETURN_ARRAYTYPE_P(pgf::pg::time_array(pgf::pg::time_kind_of(element), nullptr, 0));
    }
    auto* state = reinterpret_cast<EventState*>(PG_GETARG_POINTER(0));
    const TimeKind kind = call_of(*state).kind;
    // The array type is the aggregate's declared one: a state of another time
    // kind (only a forged one can be) must not be returned under it.
    const Oid element = get_element_type(get_fn_expr_rettype(fcinfo->flinfo));
    if (OidIsValid(element) && pgf::pg::time_kind_of(element) != kind) corrupt("time type does not match the aggregate");
    ArrayType* result = nullptr;
    {
        pgf::SequenceMatcher& matcher = state_matcher(fcinfo, *state);
        pgf::pg::ScratchEvents scratch;
        const Event* ev = matcher_events(state, scratch.events());
        std::vector<std::int64_t> times = matcher.match_times(ev, state->size());
        if (kind == TimeKind::Date)
            for (auto& t : times) t /= kSecondsPerDay;
        pgf::pg::pg_call([&] { result = pgf::pg::time_array(kind, times.data(), static_cast<int>(times.size())); });
    }
    PG_RETURN_ARRAYTYPE_P(result);
}

PGF_FUNCTION(sequence_state_combine) {
    MemoryContext context = pgf::pg::aggregate_context(fcinfo);
    auto* a = PG_ARGISNULL(0) ? nullptr : reinterpret_cast<EventState*>(PG_GETARG_POINTER(0));
    auto* b = PG_ARGISNULL(1) ? nullptr : reinterpret_cast<EventState*>(PG_GETARG_POINTER(1));
    if (!b) {
        if (!a) PG_RETURN_NULL();
        PG_RETURN_POINTER(a);
    }
    if (!a) {
        const EventCall& cb = call_of(*b);
        PG_RETURN_POINTER(pgf::pg::copy_event_state(
            fcinfo, sequence_call(fcinfo->flinfo, context, cb.kind, cb.spec.n_steps, pattern_of(*b)), *b));
    }
    if (call_of(*a).kind != call_of(*b).kind || call_of(*a).spec.n_steps != call_of(*b).spec.n_steps)
        fail(ErrorKind::InvalidParameter, "cannot combine sequence states with different time types or conditions");
    if (pattern_of(*a) != pattern_of(*b))
        fail(ErrorKind::InvalidParameter, "the sequence pattern must be the same for every row of a group");
    PG_RETURN_POINTER(pgf::pg::append_events(fcinfo, a, *b));
}

PGF_FUNCTION(sequence_state_serialize) {
    const auto* s = reinterpret_cast<const EventState*>(PG_GETARG_POINTER(0));
    const EventCall& call = call_of(*s);
    pgf::EventStateHeader h;
    h.time_kind = static_cast<std::uint8_t>(call.kind);
    h.n_steps = static_cast<std::uint8_t>(call.spec.n_steps);
    h.sorted = s->sorted() ? 1 : 0;
    const std::string_view pattern = pattern_of(*s);
    const std::size_t size = pgf::sequence_state_size(pattern.size(), s->size(), MaxAllocSize - VARHDRSZ);
    pgf::pg::ScratchEvents scratch;
    const Event* ev = pgf::pg::unpacked_events(*s, scratch.events());
    bytea* out = static_cast<bytea*>(palloc(VARHDRSZ + size));
    SET_VARSIZE(out, VARHDRSZ + size);
    pgf::encode_sequence_state(pattern, h, ev, s->size(), reinterpret_cast<unsigned char*>(VARDATA(out)));
    PG_RETURN_BYTEA_P(out);
}

PGF_FUNCTION(sequence_state_deserialize) {
    bytea* in = PG_GETARG_BYTEA_PP(0);
    const auto* bytes = reinterpret_cast<const unsigned char*>(VARDATA_ANY(in));
    const std::size_t len = VARSIZE_ANY_EXHDR(in);
    pgf::pg::ScratchEvents scratch;
    // The decoder validates every byte; parsing the pattern validates its text
    // (and leaves it in the cache for the next state).
    const pgf::SequenceStateInfo info = pgf::decode_sequence_state(
        bytes, len, scratch.events(), [&](std::string_view text, int n_conditions, std::uint8_t time_kind) {
            cached_pattern(fcinfo->flinfo, text.data(), text.size(), n_conditions,
                           units_per_second(static_cast<TimeKind>(time_kind)));
        });
    PG_RETURN_POINTER(pgf::pg::event_state_of(CurrentMemoryContext,
                                              sequence_call(fcinfo->flinfo, CurrentMemoryContext,
                                                            static_cast<TimeKind>(info.time_kind),
                                                            info.n_conditions, info.pattern),
                                              scratch.events()));
}
