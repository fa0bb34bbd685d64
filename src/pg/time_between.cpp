// SQL family: time_between(ts, from_step, to_step), aggregate and window aggregate.
#include "core/state_codec.hpp"
#include "core/time_between.hpp"
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

// Serialized form: version, kind, flags (has_from, has_best), first_from,
// best_to, count, then `count` early times; all little-endian.
constexpr unsigned char kVersion = 1;
constexpr std::size_t kHeader = 1 + 1 + 1 + 8 + 8 + 8;

void put64(unsigned char* p, std::uint64_t v) {
    for (int i = 0; i < 8; ++i) p[i] = static_cast<unsigned char>(v >> (8 * i));
}
std::uint64_t get64(const unsigned char* p) {
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v |= static_cast<std::uint64_t>(p[i]) << (8 * i);
    return v;
}

[[noreturn]] void corrupt(const char* what) {
    fail(ErrorKind::CorruptState, std::string("corrupt time_between state: ") + what);
}

}  // namespace

// time_between_sfunc(state, ts, from_step, to_step)
PGF_FUNCTION(time_between_sfunc) {
    MemoryContext context = pgf::pg::aggregate_context(fcinfo);
    auto* state = PG_ARGISNULL(0) ? nullptr : reinterpret_cast<TimeBetweenState*>(PG_GETARG_POINTER(0));
    if (!state) {
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
    const std::size_t n = s->core.early_to.size();
    const std::size_t size = kHeader + 8 * n;
    if (size > MaxAllocSize - VARHDRSZ) fail(ErrorKind::LimitExceeded, "time_between state is too large");
    bytea* out = static_cast<bytea*>(palloc(VARHDRSZ + size));
    SET_VARSIZE(out, VARHDRSZ + size);
    auto* p = reinterpret_cast<unsigned char*>(VARDATA(out));
    p[0] = kVersion;
    p[1] = static_cast<unsigned char>(s->kind);
    p[2] = static_cast<unsigned char>((s->core.has_from ? 1 : 0) | (s->core.has_best ? 2 : 0));
    put64(p + 3, static_cast<std::uint64_t>(s->core.first_from));
    put64(p + 11, static_cast<std::uint64_t>(s->core.best_to));
    put64(p + 19, n);
    for (std::size_t i = 0; i < n; ++i) put64(p + kHeader + 8 * i, static_cast<std::uint64_t>(s->core.early_to[i]));
    PG_RETURN_BYTEA_P(out);
}

PGF_FUNCTION(time_between_deserialize) {
    bytea* in = PG_GETARG_BYTEA_PP(0);
    const auto* p = reinterpret_cast<const unsigned char*>(VARDATA_ANY(in));
    const std::size_t len = VARSIZE_ANY_EXHDR(in);
    if (len < kHeader) corrupt("too short");
    if (p[0] != kVersion) corrupt("unknown version");
    if (p[1] >= pgf::kTimeKinds) corrupt("bad time type");
    if (p[2] > 3) corrupt("bad flags");
    const std::uint64_t n = get64(p + 19);
    if (n > (len - kHeader) / 8 || len != kHeader + 8 * n) corrupt("length does not match the count");
    auto* s = pgf::pg::make_in_context<TimeBetweenState>(CurrentMemoryContext, CurrentMemoryContext);
    s->kind = static_cast<pgf::pg::TimeKind>(p[1]);
    // Rebuild through the public operations so the invariants hold whatever the bytes say.
    if (p[2] & 1) s->core.add_from(static_cast<std::int64_t>(get64(p + 3)));
    if (p[2] & 2) {
        if (!(p[2] & 1)) corrupt("a best time without a from time");
        s->core.add_to(static_cast<std::int64_t>(get64(p + 11)));
    }
    s->core.early_to.reserve(static_cast<std::size_t>(n));
    for (std::size_t i = 0; i < n; ++i) s->core.add_to(static_cast<std::int64_t>(get64(p + kHeader + 8 * i)));
    PG_RETURN_POINTER(s);
}
