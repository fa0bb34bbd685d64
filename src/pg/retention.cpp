// SQL family: retention(VARIADIC conds "any") -> boolean[] (ClickHouse retention).
#include "core/retention.hpp"
#include "core/retention_codec.hpp"
#include "pg/condition_args.hpp"
#include "pg/context_allocator.hpp"
#include "pg/event_state.hpp"
#include "pg/guard.hpp"

using pgf::ErrorKind;
using pgf::fail;

namespace {

// Fixed-size state: the OR of the rows' condition masks and the condition count.
struct RetentionState {
    std::uint64_t seen = 0;
    int n_conditions = 0;
};

RetentionState* new_state(MemoryContext context, int n) {
    RetentionState* s = pgf::pg::make_in_context<RetentionState>(context);
    s->n_conditions = n;
    return s;
}

}  // namespace

PGF_FUNCTION(retention_sfunc) {
    auto* state = PG_ARGISNULL(0) ? nullptr : reinterpret_cast<RetentionState*>(PG_GETARG_POINTER(0));
    const pgf::pg::ConditionArgs& c =
        pgf::pg::condition_args(fcinfo, &fcinfo->flinfo->fn_extra, 1, "retention", pgf::pg::check_step_count);
    int n = 0;
    const std::uint64_t mask = c.row_mask(fcinfo, &n, "retention conditions must not be NULL", pgf::pg::steps_mask);
    pgf::check_retention_conditions(n);
    if (!state) state = new_state(pgf::pg::aggregate_context(fcinfo), n);  // first row only
    else if (state->n_conditions != n)
        fail(ErrorKind::InvalidParameter, "the number of retention conditions must be the same for every row of a group");
    state->seen = pgf::retention_add(state->seen, mask);
    PG_RETURN_POINTER(state);
}

PGF_FUNCTION(retention_ffunc) {
    if (PG_ARGISNULL(0)) PG_RETURN_NULL();  // no rows: no condition count to size the result
    const auto* state = reinterpret_cast<const RetentionState*>(PG_GETARG_POINTER(0));
    const std::uint64_t r = pgf::retention_result_mask(state->seen, state->n_conditions);
    Datum values[pgf::kMaxSteps];
    for (int i = 0; i < state->n_conditions; ++i) values[i] = BoolGetDatum((r >> i) & 1u);
    PG_RETURN_ARRAYTYPE_P(construct_array(values, state->n_conditions, BOOLOID, 1, true, TYPALIGN_CHAR));
}

PGF_FUNCTION(retention_combine) {
    MemoryContext context = pgf::pg::aggregate_context(fcinfo);
    auto* a = PG_ARGISNULL(0) ? nullptr : reinterpret_cast<RetentionState*>(PG_GETARG_POINTER(0));
    auto* b = PG_ARGISNULL(1) ? nullptr : reinterpret_cast<RetentionState*>(PG_GETARG_POINTER(1));
    if (!b) {
        if (!a) PG_RETURN_NULL();
        PG_RETURN_POINTER(a);
    }
    if (!a) a = new_state(context, b->n_conditions);
    else if (a->n_conditions != b->n_conditions)
        fail(ErrorKind::InvalidParameter, "the number of retention conditions must be the same for every row of a group");
    a->seen = pgf::retention_combine(a->seen, b->seen);
    PG_RETURN_POINTER(a);
}

PGF_FUNCTION(retention_serialize) {
    const auto* s = reinterpret_cast<const RetentionState*>(PG_GETARG_POINTER(0));
    bytea* out = static_cast<bytea*>(palloc(VARHDRSZ + pgf::kRetentionStateSize));
    SET_VARSIZE(out, VARHDRSZ + pgf::kRetentionStateSize);
    pgf::encode_retention_state({s->n_conditions, s->seen}, reinterpret_cast<unsigned char*>(VARDATA(out)));
    PG_RETURN_BYTEA_P(out);
}

// Every check lives in the core codec, which test/fuzz/fuzz_retention_state.cpp fuzzes.
PGF_FUNCTION(retention_deserialize) {
    bytea* in = PG_GETARG_BYTEA_PP(0);
    const pgf::RetentionStateData d = pgf::decode_retention_state(
        reinterpret_cast<const unsigned char*>(VARDATA_ANY(in)), VARSIZE_ANY_EXHDR(in));
    RetentionState* s = new_state(CurrentMemoryContext, d.n_conditions);
    s->seen = d.seen;
    PG_RETURN_POINTER(s);
}
