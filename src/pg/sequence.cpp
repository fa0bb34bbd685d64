// SQL family: sequence_match, sequence_count, sequence_match_times
// (ClickHouse's sequenceMatch / sequenceCount / sequenceMatchEvents).
//
// The state is the event buffer of funnel_steps (pg/event_state.hpp: time kind,
// condition count in spec.n_steps, window and modes left 0, one 16-byte event per
// row that satisfies at least one condition) plus the pattern text. The pattern
// is parsed on the first row of a group to report a malformed pattern at once,
// and again in the final function; both parses are cached per query in fn_extra,
// keyed by (pattern text, condition count, time unit), so a query with one
// constant pattern parses it once per function, not once per group.
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
#include "pg/event_state.hpp"
#include "pg/guard.hpp"

using pgf::ErrorKind;
using pgf::Event;
using pgf::fail;
using pgf::Pattern;
using pgf::pg::EventState;
using pgf::pg::TimeKind;

namespace {

constexpr std::int64_t kSecondsPerDay = 86400;

// buffer: kind, spec.n_steps = number of conditions, events, and the pattern
// text as its parameter (param_text, param_size). No field of its own, so that
// a state is one 128-byte chunk per actor (with two more pointers it was 256).
struct SequenceState {
    explicit SequenceState(MemoryContext context) : buffer(context) {}
    EventState buffer;
    std::string_view pattern() const { return std::string_view(buffer.param_text, buffer.param_size); }
};
static_assert(sizeof(SequenceState) <= 128, "a SequenceState fits a 128-byte chunk");

// What one second is worth in the unit the matcher sees. Timestamps are matched
// in microseconds. Dates are matched in seconds (day number x 86400): in
// microseconds the far end of the date range would overflow int64.
std::int64_t units_per_second(TimeKind kind) {
    return kind == TimeKind::Timestamptz || kind == TimeKind::Timestamp ? 1000000 : 1;
}

// An FmgrInfo's fn_extra: the last parsed pattern, and the first pattern text
// the function saw, kept for the whole query (fn_mcxt) so that states with that
// text (usually all of them) point to it instead of holding a copy each. The
// Pattern owns C++ heap memory, so a reset callback on fn_mcxt destroys it.
// `constant`: the transition function's pattern argument is a constant of the
// query, so later rows need no comparison.
struct PatternCache {
    char* text = nullptr;
    std::size_t size = 0;
    int n_conditions = 0;
    std::int64_t units = 0;
    Pattern* pattern = nullptr;
    char* kept = nullptr;
    std::size_t kept_size = 0;
    bool constant = false;
    MemoryContextCallback callback;
};

void destroy_pattern_cache(void* arg) {
    auto* c = static_cast<PatternCache*>(arg);
    if (c->pattern) c->pattern->~Pattern();
    c->pattern = nullptr;
}

PatternCache* pattern_cache(FmgrInfo* flinfo) {
    auto* c = static_cast<PatternCache*>(flinfo->fn_extra);
    if (!c) {
        c = pgf::pg::make_in_context<PatternCache>(flinfo->fn_mcxt);
        c->pattern = pgf::pg::make_in_context<Pattern>(flinfo->fn_mcxt);
        c->callback.func = destroy_pattern_cache;
        c->callback.arg = c;
        MemoryContextRegisterResetCallback(flinfo->fn_mcxt, &c->callback);
        flinfo->fn_extra = c;
    }
    return c;
}

// The parsed pattern for (text, n_conditions, units); parses (and throws
// InvalidParameter for a malformed pattern) only when the key changes.
const Pattern& cached_pattern(FmgrInfo* flinfo, const char* text, std::size_t size, int n_conditions,
                              std::int64_t units) {
    PatternCache* c = pattern_cache(flinfo);
    if (c->text && c->size == size && c->n_conditions == n_conditions && c->units == units &&
        (size == 0 || std::memcmp(c->text, text, size) == 0))
        return *c->pattern;
    Pattern parsed = pgf::parse_pattern(std::string_view(text, size), n_conditions, units);
    char* copy = pgf::pg::copy_to_context(flinfo->fn_mcxt, text, size);
    if (c->text) pfree(c->text);
    c->text = copy;
    c->size = size;
    c->n_conditions = n_conditions;
    c->units = units;
    *c->pattern = std::move(parsed);
    return *c->pattern;
}

// The pattern text for a new state: the copy kept for the query when the text
// is the first one this function saw, else a copy in `context` (the state's).
const char* pattern_for_state(FmgrInfo* flinfo, std::string_view text, MemoryContext context) {
    PatternCache* c = pattern_cache(flinfo);
    if (!c->kept) {
        c->kept = pgf::pg::copy_to_context(flinfo->fn_mcxt, text.data(), text.size());
        c->kept_size = text.size();
    }
    if (std::string_view(c->kept, c->kept_size) == text) return c->kept;
    return pgf::pg::copy_to_context(context, text.data(), text.size());
}

const Pattern& state_pattern(FunctionCallInfo fcinfo, const SequenceState& s) {
    return cached_pattern(fcinfo->flinfo, s.buffer.param_text, s.buffer.param_size, s.buffer.spec.n_steps,
                          units_per_second(s.buffer.kind));
}

// The state's events sorted, in the matcher's unit. Dates are converted into
// `scratch`; other kinds are used in place.
const Event* matcher_events(SequenceState& s, std::vector<Event>& scratch) {
    s.buffer.sort();
    if (s.buffer.kind != TimeKind::Date) return s.buffer.events.data();
    scratch.assign(s.buffer.events.begin(), s.buffer.events.end());
    for (Event& e : scratch) e.ts *= kSecondsPerDay;  // |day| < 2^31: no overflow
    return scratch.data();
}

// The condition array of one row: at least one and at most kMaxSteps conditions.
std::uint64_t conditions_mask(ArrayType* conds, int* n) {
    if (ARR_NDIM(conds) == 0) fail(ErrorKind::InvalidParameter, "at least one sequence condition is required");
    if (ARR_NDIM(conds) == 1 && ARR_DIMS(conds)[0] > pgf::kMaxSteps)
        fail(ErrorKind::LimitExceeded, "at most " + std::to_string(pgf::kMaxSteps) +
                                           " sequence conditions are supported, got " +
                                           std::to_string(ARR_DIMS(conds)[0]));
    return pgf::pg::steps_mask(conds, n);
}

// A new state whose pattern text is `kept` (pattern_for_state: it lives as long
// as the state).
SequenceState* new_state(MemoryContext context, TimeKind kind, int n_conditions, const char* kept,
                         std::size_t size) {
    if (size > UINT32_MAX) fail(ErrorKind::LimitExceeded, "sequence pattern too long");
    SequenceState* s = pgf::pg::make_in_context<SequenceState>(context, context);
    s->buffer.kind = kind;
    s->buffer.spec.n_steps = n_conditions;
    s->buffer.param_text = kept;
    s->buffer.param_size = static_cast<std::uint32_t>(size);
    return s;
}

bool same_pattern(const SequenceState& s, std::string_view text) { return s.pattern() == text; }

[[noreturn]] void corrupt(const std::string& what) { pgf::corrupt_sequence_state(what); }

}  // namespace

// sequence_sfunc(state, pattern, ts, VARIADIC conds)
PGF_FUNCTION(sequence_sfunc) {
    auto* state = PG_ARGISNULL(0) ? nullptr : reinterpret_cast<SequenceState*>(PG_GETARG_POINTER(0));
    if (PG_ARGISNULL(1)) fail(ErrorKind::NullNotAllowed, "sequence pattern must not be NULL");
    if (PG_ARGISNULL(3)) fail(ErrorKind::NullNotAllowed, "sequence conditions must not be NULL");
    text* pattern = PG_GETARG_TEXT_PP(1);
    const char* ptext = VARDATA_ANY(pattern);
    const std::size_t psize = VARSIZE_ANY_EXHDR(pattern);
    int n = 0;
    const std::uint64_t mask = conditions_mask(PG_GETARG_ARRAYTYPE_P(3), &n);

    if (!state) {
        const TimeKind kind = pgf::pg::time_kind_of(get_fn_expr_argtype(fcinfo->flinfo, 2));
        cached_pattern(fcinfo->flinfo, ptext, psize, n, units_per_second(kind));  // validates
        PatternCache* c = pattern_cache(fcinfo->flinfo);
        if (!c->kept) c->constant = pgf::pg::argument_is_constant(fcinfo, 1);
        MemoryContext context = pgf::pg::aggregate_context(fcinfo);  // first row only
        state = new_state(context, kind, n, pattern_for_state(fcinfo->flinfo, std::string_view(ptext, psize), context),
                          psize);
    } else {
        if (n != state->buffer.spec.n_steps)
            fail(ErrorKind::InvalidParameter,
                 "the number of sequence conditions must be the same for every row of a group");
        const auto* c = static_cast<const PatternCache*>(fcinfo->flinfo->fn_extra);
        if (!(c && c->constant) && !same_pattern(*state, std::string_view(ptext, psize)))
            fail(ErrorKind::InvalidParameter, "the sequence pattern must be the same for every row of a group");
    }
    // A NULL time drops the row; a row that satisfies no condition is never an
    // event of the pattern (only "stored" rows take part).
    if (PG_ARGISNULL(2) || mask == 0) PG_RETURN_POINTER(state);
    state->buffer.append(Event{pgf::pg::time_value(state->buffer.kind, PG_GETARG_DATUM(2)), mask});
    PG_RETURN_POINTER(state);
}

PGF_FUNCTION(sequence_match_ffunc) {
    if (PG_ARGISNULL(0)) PG_RETURN_BOOL(false);
    auto* state = reinterpret_cast<SequenceState*>(PG_GETARG_POINTER(0));
    bool result = false;
    {
        const Pattern& pattern = state_pattern(fcinfo, *state);
        std::vector<Event> scratch;
        const Event* ev = matcher_events(*state, scratch);
        result = pgf::sequence_match(pattern, ev, state->buffer.events.size());
    }
    PG_RETURN_BOOL(result);
}

PGF_FUNCTION(sequence_count_ffunc) {
    if (PG_ARGISNULL(0)) PG_RETURN_INT64(0);
    auto* state = reinterpret_cast<SequenceState*>(PG_GETARG_POINTER(0));
    std::uint64_t result = 0;
    {
        const Pattern& pattern = state_pattern(fcinfo, *state);
        std::vector<Event> scratch;
        const Event* ev = matcher_events(*state, scratch);
        result = pgf::sequence_count(pattern, ev, state->buffer.events.size());
    }
    PG_RETURN_INT64(static_cast<std::int64_t>(result));
}

PGF_FUNCTION(sequence_match_times_ffunc) {
    if (PG_ARGISNULL(0)) {
        const Oid element = get_element_type(get_fn_expr_rettype(fcinfo->flinfo));
        PG_RETURN_ARRAYTYPE_P(pgf::pg::time_array(pgf::pg::time_kind_of(element), nullptr, 0));
    }
    auto* state = reinterpret_cast<SequenceState*>(PG_GETARG_POINTER(0));
    // The array type is the aggregate's declared one: a state of another time
    // kind (only a forged one can be) must not be returned under it.
    const Oid element = get_element_type(get_fn_expr_rettype(fcinfo->flinfo));
    if (OidIsValid(element) && pgf::pg::time_kind_of(element) != state->buffer.kind)
        corrupt("time type does not match the aggregate");
    ArrayType* result = nullptr;
    {
        const Pattern& pattern = state_pattern(fcinfo, *state);
        std::vector<Event> scratch;
        const Event* ev = matcher_events(*state, scratch);
        std::vector<std::int64_t> times = pgf::sequence_match_times(pattern, ev, state->buffer.events.size());
        if (state->buffer.kind == TimeKind::Date)
            for (auto& t : times) t /= kSecondsPerDay;
        pgf::pg::pg_call([&] {
            result = pgf::pg::time_array(state->buffer.kind, times.data(), static_cast<int>(times.size()));
        });
    }
    PG_RETURN_ARRAYTYPE_P(result);
}

PGF_FUNCTION(sequence_state_combine) {
    MemoryContext context = pgf::pg::aggregate_context(fcinfo);
    auto* a = PG_ARGISNULL(0) ? nullptr : reinterpret_cast<SequenceState*>(PG_GETARG_POINTER(0));
    auto* b = PG_ARGISNULL(1) ? nullptr : reinterpret_cast<SequenceState*>(PG_GETARG_POINTER(1));
    if (!b) {
        if (!a) PG_RETURN_NULL();
        PG_RETURN_POINTER(a);
    }
    if (!a) {
        // b may be in a short-lived context (a deserialized state): keep its text.
        a = new_state(context, b->buffer.kind, b->buffer.spec.n_steps,
                      pattern_for_state(fcinfo->flinfo, b->pattern(), context), b->pattern().size());
        a->buffer.sorted = b->buffer.sorted;
        a->buffer.events.assign(b->buffer.events.begin(), b->buffer.events.end());
        PG_RETURN_POINTER(a);
    }
    if (a->buffer.kind != b->buffer.kind || a->buffer.spec.n_steps != b->buffer.spec.n_steps)
        fail(ErrorKind::InvalidParameter, "cannot combine sequence states with different time types or conditions");
    if (!same_pattern(*a, b->pattern()))
        fail(ErrorKind::InvalidParameter, "the sequence pattern must be the same for every row of a group");
    const std::size_t middle = a->buffer.events.size();
    a->buffer.events.append(b->buffer.events.begin(), b->buffer.events.end());
    if (a->buffer.sorted && b->buffer.sorted)
        std::inplace_merge(a->buffer.events.begin(), a->buffer.events.begin() + static_cast<std::ptrdiff_t>(middle),
                           a->buffer.events.end());
    else
        a->buffer.sorted = false;
    PG_RETURN_POINTER(a);
}

PGF_FUNCTION(sequence_state_serialize) {
    const auto* s = reinterpret_cast<const SequenceState*>(PG_GETARG_POINTER(0));
    pgf::EventStateHeader h;
    h.time_kind = static_cast<std::uint8_t>(s->buffer.kind);
    h.n_steps = static_cast<std::uint8_t>(s->buffer.spec.n_steps);
    h.sorted = s->buffer.sorted ? 1 : 0;
    const std::string_view pattern = s->pattern();
    const std::size_t size = pgf::sequence_state_size(pattern.size(), s->buffer.events.size(), MaxAllocSize - VARHDRSZ);
    bytea* out = static_cast<bytea*>(palloc(VARHDRSZ + size));
    SET_VARSIZE(out, VARHDRSZ + size);
    pgf::encode_sequence_state(pattern, h, s->buffer.events.data(), s->buffer.events.size(),
                               reinterpret_cast<unsigned char*>(VARDATA(out)));
    PG_RETURN_BYTEA_P(out);
}

PGF_FUNCTION(sequence_state_deserialize) {
    bytea* in = PG_GETARG_BYTEA_PP(0);
    const auto* bytes = reinterpret_cast<const unsigned char*>(VARDATA_ANY(in));
    const std::size_t len = VARSIZE_ANY_EXHDR(in);
    SequenceState* s = pgf::pg::make_in_context<SequenceState>(CurrentMemoryContext, CurrentMemoryContext);
    // The decoder validates every byte; parsing the pattern validates its text
    // (and leaves it in the cache for the next state).
    const pgf::SequenceStateInfo info = pgf::decode_sequence_state(
        bytes, len, s->buffer.events, [&](std::string_view text, int n_conditions, std::uint8_t time_kind) {
            cached_pattern(fcinfo->flinfo, text.data(), text.size(), n_conditions,
                           units_per_second(static_cast<TimeKind>(time_kind)));
        });
    s->buffer.kind = static_cast<TimeKind>(info.time_kind);
    s->buffer.spec.n_steps = info.n_conditions;
    s->buffer.sorted = info.sorted;
    s->buffer.param_text = pattern_for_state(fcinfo->flinfo, info.pattern, CurrentMemoryContext);
    s->buffer.param_size = static_cast<std::uint32_t>(info.pattern.size());
    PG_RETURN_POINTER(s);
}
