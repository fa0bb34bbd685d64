// SQL family: time_between(ts, from_step, to_step), aggregate and window aggregate.
#include "core/time_between.hpp"
#include "core/time_between_codec.hpp"
#include "pg/context_allocator.hpp"
#include "pg/guard.hpp"
#include "pg/time_args.hpp"

using pgf::ErrorKind;
using pgf::fail;

namespace {

struct TimeBetweenState {
    explicit TimeBetweenState(MemoryContext context)
        : core(pgf::pg::ContextVector<std::int64_t>(pgf::pg::ContextAllocator<std::int64_t>(context))) {}
    pgf::pg::TimeKind kind = pgf::pg::TimeKind::Timestamptz;
    pgf::TimeBetween<pgf::pg::ContextVector<std::int64_t>> core;
};

}  // namespace

// time_between_sfunc(state, ts, from_step, to_step)
PGF_FUNCTION(time_between_sfunc) {
    auto* state = PG_ARGISNULL(0) ? nullptr : reinterpret_cast<TimeBetweenState*>(PG_GETARG_POINTER(0));
    if (!state) {
        MemoryContext context = pgf::pg::aggregate_context(fcinfo);  // first row only
        state = pgf::pg::make_in_context<TimeBetweenState>(context, context);
        state->kind = pgf::pg::time_kind_of(get_fn_expr_argtype(fcinfo->flinfo, 1));
    }
    if (PG_ARGISNULL(1)) PG_RETURN_POINTER(state);
    const std::int64_t t = pgf::pg::time_value(state->kind, PG_GETARG_DATUM(1));
    // from before to: a row that is both counts as a 0 duration.
    if (!PG_ARGISNULL(2) && PG_GETARG_BOOL(2)) state->core.add_from(t);
    if (!PG_ARGISNULL(3) && PG_GETARG_BOOL(3)) state->core.add_to(t);
    PG_RETURN_POINTER(state);
}

PGF_FUNCTION(time_between_ffunc) {
    if (PG_ARGISNULL(0)) PG_RETURN_NULL();
    const auto* state = reinterpret_cast<const TimeBetweenState*>(PG_GETARG_POINTER(0));
    const auto r = state->core.result();
    if (!r) PG_RETURN_NULL();
    PG_RETURN_DATUM(pgf::pg::time_difference_datum(state->kind, r->first, r->second));
}

PGF_FUNCTION(time_between_combine) {
    MemoryContext context = pgf::pg::aggregate_context(fcinfo);
    auto* a = PG_ARGISNULL(0) ? nullptr : reinterpret_cast<TimeBetweenState*>(PG_GETARG_POINTER(0));
    auto* b = PG_ARGISNULL(1) ? nullptr : reinterpret_cast<TimeBetweenState*>(PG_GETARG_POINTER(1));
    if (!b) {
        if (!a) PG_RETURN_NULL();
        PG_RETURN_POINTER(a);
    }
    if (!a) {
        a = pgf::pg::make_in_context<TimeBetweenState>(context, context);
        a->kind = b->kind;
    } else if (a->kind != b->kind) {
        fail(ErrorKind::InvalidParameter, "cannot combine time_between states of different time types");
    }
    a->core.merge(b->core);
    PG_RETURN_POINTER(a);
}

PGF_FUNCTION(time_between_serialize) {
    const auto* s = reinterpret_cast<const TimeBetweenState*>(PG_GETARG_POINTER(0));
    const pgf::TimeBetweenStateHeader h = pgf::time_between_header_of(static_cast<std::uint8_t>(s->kind), s->core);
    const std::size_t size = pgf::time_between_state_size(s->core.early_to.size(), MaxAllocSize - VARHDRSZ);
    bytea* out = static_cast<bytea*>(palloc(VARHDRSZ + size));
    SET_VARSIZE(out, VARHDRSZ + size);
    pgf::encode_time_between_state(h, s->core.early_to.data(), reinterpret_cast<unsigned char*>(VARDATA(out)));
    PG_RETURN_BYTEA_P(out);
}

// Every check lives in the core codec, which test/fuzz/fuzz_time_between_state.cpp fuzzes.
PGF_FUNCTION(time_between_deserialize) {
    bytea* in = PG_GETARG_BYTEA_PP(0);
    auto* s = pgf::pg::make_in_context<TimeBetweenState>(CurrentMemoryContext, CurrentMemoryContext);
    s->kind = static_cast<pgf::pg::TimeKind>(pgf::decode_time_between_state(
        reinterpret_cast<const unsigned char*>(VARDATA_ANY(in)), VARSIZE_ANY_EXHDR(in), s->core));
    PG_RETURN_POINTER(s);
}
