#include "pg/step_names.hpp"

#include <cstring>
#include <string>

#include "pg/context_allocator.hpp"
#include "core/event.hpp"
#include "pg/guard.hpp"

extern "C" {
#include "catalog/pg_collation_d.h"
#include "nodes/nodeFuncs.h"
}

namespace pgf::pg {

namespace {

// What a call site keeps (step_names_arg's `slot`): the distinct arrays seen.
// `constant`: the argument is a constant in the query, so its first value
// is every row's and later rows need no comparison.
struct StepNamesCache {
    bool constant = false;
    const StepNamesArg* last = nullptr;
    StepNamesArg* all = nullptr;
};

void read_step_names(ArrayType* steps, StepNames* names) {
    if (ARR_ELEMTYPE(steps) != TEXTOID) fail(ErrorKind::InvalidParameter, "funnel step names must be text");
    if (ARR_NDIM(steps) > 1) fail(ErrorKind::InvalidParameter, "funnel step names must be a one-dimensional text array");
    const int n = ARR_NDIM(steps) == 0 ? 0 : ARR_DIMS(steps)[0];
    if (n == 0) fail(ErrorKind::InvalidParameter, "at least one funnel step name is required");
    if (n > kMaxSteps)
        fail(ErrorKind::LimitExceeded,
             "at most " + std::to_string(kMaxSteps) + " funnel steps are supported, got " + std::to_string(n));
    if (ARR_HASNULL(steps)) fail(ErrorKind::NullNotAllowed, "funnel step names must not be NULL");
    // Elements of a text[] are 4-byte-aligned varlenas, one after another.
    const char* p = ARR_DATA_PTR(steps);
    for (int i = 0; i < n; ++i) {
        const auto* v = reinterpret_cast<const varlena*>(p);
        if (VARATT_IS_EXTENDED(v) && !VARATT_IS_SHORT(v))
            fail(ErrorKind::InvalidParameter, "funnel step names must not be compressed or toasted");
        names->add_step(VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v));
        p = att_addlength_pointer(p, -1, p);
        p = reinterpret_cast<const char*>(att_align_nominal(p, TYPALIGN_INT));
    }
}

}  // namespace

bool collation_is_deterministic(FunctionCallInfo fcinfo) {
    const Oid collation = PG_GET_COLLATION();
    bool deterministic = true;
    if (OidIsValid(collation) && collation != DEFAULT_COLLATION_OID)
        pg_call([&] { deterministic = get_collation_isdeterministic(collation); });
    return deterministic;
}

const StepNamesArg* step_names_arg(FunctionCallInfo fcinfo, void** slot, int argno, const char* function) {
    if (PG_ARGISNULL(argno)) fail(ErrorKind::NullNotAllowed, "funnel steps must not be NULL");
    auto* cache = static_cast<StepNamesCache*>(*slot);
    if (cache != nullptr && cache->constant && cache->last != nullptr) return cache->last;
    MemoryContext context = fcinfo->flinfo->fn_mcxt;
    if (cache == nullptr) {
        if (!collation_is_deterministic(fcinfo))
            fail(ErrorKind::InvalidParameter, std::string(function) +
                                                  ": step names with a nondeterministic collation are not supported; "
                                                  "use COLLATE \"C\" or a deterministic collation");
        cache = make_in_context<StepNamesCache>(context);
        cache->constant = argument_is_constant(fcinfo, argno);
        *slot = cache;
    }
    const Datum datum = PG_GETARG_DATUM(argno);
    ArrayType* array = nullptr;
    pg_call([&] { array = DatumGetArrayTypeP(datum); });
    const auto* bytes = reinterpret_cast<const char*>(array);
    const std::size_t size = VARSIZE(array);
    const auto same = [&](const StepNamesArg* e) { return e->size == size && std::memcmp(e->bytes, bytes, size) == 0; };
    const StepNamesArg* found = nullptr;
    if (cache->last != nullptr && same(cache->last)) found = cache->last;
    for (StepNamesArg* e = cache->all; found == nullptr && e != nullptr; e = e->next)
        if (same(e)) found = e;
    if (found == nullptr) {
        auto* names = make_in_context<StepNames>(context, context_hooks(context));
        read_step_names(array, names);
        auto* e = make_in_context<StepNamesArg>(context);
        e->names = names;
        e->bytes = copy_to_context(context, bytes, size);
        e->size = size;
        e->next = cache->all;
        cache->all = e;
        found = e;
    }
    if (reinterpret_cast<Pointer>(array) != DatumGetPointer(datum)) pfree(array);
    cache->last = found;
    return found;
}

std::uint64_t event_mask(FunctionCallInfo fcinfo, int argno, const StepNames& names) {
    if (PG_ARGISNULL(argno)) return 0;
    auto* v = reinterpret_cast<varlena*>(DatumGetPointer(PG_GETARG_DATUM(argno)));
    // An inline value (almost always) is read in place: no detoasting call and no
    // error guard per row.
    if (!VARATT_IS_EXTENDED(v) || VARATT_IS_SHORT(v)) return names.mask_of(VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v));
    varlena* plain = nullptr;
    pg_call([&] { plain = pg_detoast_datum_packed(v); });
    const std::uint64_t mask = names.mask_of(VARDATA_ANY(plain), VARSIZE_ANY_EXHDR(plain));
    if (plain != v) pfree(plain);
    return mask;
}

}  // namespace pgf::pg
