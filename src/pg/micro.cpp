// SQL family: micro_value, micro_stats and micro_correlations. One row per actor
// in, a 2x2 table (or one per event name) out, with the statistics of
// core/stats.hpp. Macro values are summed as exact numerics. Formulas, NULL and
// zero-cell conventions: docs/reports.md.
#include <algorithm>
#include <cstring>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/interrupt.hpp"
#include "core/micro_correlations.hpp"
#include "core/stats.hpp"
#include "pg/context_allocator.hpp"
#include "pg/guard.hpp"

using pgf::ErrorKind;
using pgf::fail;
using pgf::pg::pg_call;

namespace {

using pgf::pg::ContextAllocator;
using pgf::pg::ContextVector;

// ---- exact numeric arithmetic (each call may raise: use inside pg_call) ------

Datum num(std::int64_t v) { return DirectFunctionCall1(int8_numeric, Int64GetDatum(v)); }
Datum num_add(Datum x, Datum y) { return DirectFunctionCall2(numeric_add, x, y); }
Datum num_sub(Datum x, Datum y) { return DirectFunctionCall2(numeric_sub, x, y); }
Datum num_mul(Datum x, Datum y) { return DirectFunctionCall2(numeric_mul, x, y); }
Datum num_div(Datum x, Datum y) { return DirectFunctionCall2(numeric_div, x, y); }

// A copy of a numeric in `context`.
Datum copy_numeric(MemoryContext context, Datum v) {
    struct varlena* p = PG_DETOAST_DATUM(v);
    void* out = MemoryContextAlloc(context, VARSIZE(p));
    std::memcpy(out, p, VARSIZE(p));
    return PointerGetDatum(out);
}

// The sum of the macro values of a group: exact, in the aggregate context.
struct ValueSum {
    std::int64_t n_values = 0;  // rows whose value was added
    Datum sum = 0;              // numeric, valid when n_values > 0

    void add_sum(MemoryContext context, std::int64_t n, Datum other) {
        if (n == 0) return;
        if (__builtin_add_overflow(n_values, n, &n_values)) fail(ErrorKind::CountOutOfRange, "too many macro values");
        pg_call([&] {
            const Datum old = sum;
            const bool had = n_values != n;
            sum = copy_numeric(context, had ? num_add(old, other) : other);
            if (had) pfree(DatumGetPointer(old));
        });
    }
};

// Constants for the per-row value check, cached for the call site.
struct ValueLimits {
    Datum zero;
    Datum infinity;
};

ValueLimits* value_limits(FunctionCallInfo fcinfo) {
    if (fcinfo->flinfo->fn_extra) return static_cast<ValueLimits*>(fcinfo->flinfo->fn_extra);
    ValueLimits* limits = nullptr;
    pg_call([&] {
        MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
        limits = static_cast<ValueLimits*>(palloc(sizeof(ValueLimits)));
        limits->zero = DirectFunctionCall3(numeric_in, CStringGetDatum("0"), ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
        limits->infinity =
            DirectFunctionCall3(numeric_in, CStringGetDatum("Infinity"), ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
        MemoryContextSwitchTo(old);
    });
    fcinfo->flinfo->fn_extra = limits;
    return limits;
}

// Adds argument `arg` (a macro value) to `sum`: it must be finite and >= 0.
void add_macro_value(FunctionCallInfo fcinfo, MemoryContext context, ValueSum* sum, int arg) {
    const ValueLimits* limits = value_limits(fcinfo);
    const Datum v = PG_GETARG_DATUM(arg);
    bool negative = false, not_finite = false;
    char* shown = nullptr;
    pg_call([&] {
        negative = DatumGetBool(DirectFunctionCall2(numeric_lt, v, limits->zero));
        not_finite = DatumGetBool(DirectFunctionCall2(numeric_ge, v, limits->infinity));  // NaN sorts above Infinity
        if (negative || not_finite) shown = DatumGetCString(DirectFunctionCall1(numeric_out, v));
    });
    if (negative) fail(ErrorKind::InvalidParameter, std::string("macro_value must not be negative, got ") + shown);
    if (not_finite) fail(ErrorKind::InvalidParameter, std::string("macro_value must be finite, got ") + shown);
    sum->add_sum(context, 1, v);
}

// Sum as plain decimal text (for the binary state); empty without values.
std::string_view sum_text(const ValueSum& s) {
    if (s.n_values == 0) return {};
    char* text = nullptr;
    pg_call([&] { text = DatumGetCString(DirectFunctionCall1(numeric_out, s.sum)); });
    return std::string_view(text);
}

// Parses a validated plain decimal back into a numeric in `context`.
Datum parse_sum(MemoryContext context, std::string_view text) {
    Datum out = 0;
    pg_call([&] {
        MemoryContext old = MemoryContextSwitchTo(context);
        char* z = pnstrdup(text.data(), text.size());
        out = DirectFunctionCall3(numeric_in, CStringGetDatum(z), ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
        pfree(z);
        MemoryContextSwitchTo(old);
    });
    return out;
}

bool flag(FunctionCallInfo fcinfo, int arg) { return !PG_ARGISNULL(arg) && PG_GETARG_BOOL(arg); }

void bump(std::int64_t* cell) {
    if (__builtin_add_overflow(*cell, 1, cell)) fail(ErrorKind::CountOutOfRange, "too many actors");
}

// ---- result rows ----------------------------------------------------------------

struct ResultType {
    Oid type;  // the composite
    int16 len;
    bool byval;
    char align;
    TupleDesc desc;
};

// The row type the final function returns: the composite itself, or the element
// of the array it returns. Cached for the call site.
ResultType* result_type(FunctionCallInfo fcinfo, bool array, int natts) {
    if (fcinfo->flinfo->fn_extra) return static_cast<ResultType*>(fcinfo->flinfo->fn_extra);
    ResultType* rt = nullptr;
    pg_call([&] {
        MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
        rt = static_cast<ResultType*>(palloc0(sizeof(ResultType)));
        const Oid ret = get_func_rettype(fcinfo->flinfo->fn_oid);
        rt->type = array ? get_element_type(ret) : ret;
        if (OidIsValid(rt->type) && type_is_rowtype(rt->type)) {
            get_typlenbyvalalign(rt->type, &rt->len, &rt->byval, &rt->align);
            rt->desc = TypeGetTupleDesc(rt->type, NIL);
        }
        MemoryContextSwitchTo(old);
    });
    if (rt->desc == nullptr || rt->desc->natts != natts) fail(ErrorKind::Internal, "unexpected result type");
    fcinfo->flinfo->fn_extra = rt;
    return rt;
}

// The 20 columns shared by micro_stats and micro_correlation, from `values[0]`:
// a, b, c, d, n, rate_with_micro, rate_without_micro, overall_rate, lift,
// relative_risk, odds_ratio, odds_ratio_low, odds_ratio_high, odds_ratio_corrected,
// phi, chi_square, p_value, p_test, min_expected, low_expected. PostgreSQL calls.
constexpr int kStatsColumns = 20;

void put_float(Datum* values, bool* nulls, int i, const std::optional<double>& v) {
    nulls[i] = !v.has_value();
    values[i] = v ? Float8GetDatum(*v) : Datum(0);
}

void fill_stats(const pgf::Table2x2& t, const pgf::TableStats& s, Datum* values, bool* nulls) {
    values[0] = Int64GetDatum(t.a);
    values[1] = Int64GetDatum(t.b);
    values[2] = Int64GetDatum(t.c);
    values[3] = Int64GetDatum(t.d);
    values[4] = Int64GetDatum(s.n);
    put_float(values, nulls, 5, s.rate_with_micro);
    put_float(values, nulls, 6, s.rate_without_micro);
    put_float(values, nulls, 7, s.overall_rate);
    put_float(values, nulls, 8, s.lift);
    put_float(values, nulls, 9, s.relative_risk);
    put_float(values, nulls, 10, s.odds_ratio);
    put_float(values, nulls, 11, s.odds_ratio_low);
    put_float(values, nulls, 12, s.odds_ratio_high);
    nulls[13] = !s.odds_ratio.has_value();
    values[13] = BoolGetDatum(s.odds_ratio_corrected);
    put_float(values, nulls, 14, s.phi);
    put_float(values, nulls, 15, s.chi_square);
    put_float(values, nulls, 16, s.p_value);
    const char* test = pgf::p_test_name(s.p_test);
    nulls[17] = test == nullptr;
    values[17] = test ? CStringGetTextDatum(test) : Datum(0);
    put_float(values, nulls, 18, s.min_expected);
    nulls[19] = !s.min_expected.has_value();
    values[19] = BoolGetDatum(s.low_expected);
}

// value = a S / ((a + b) n_values); incremental = (a d - b c) S / ((a + b)(c + d) n_values).
// PostgreSQL calls.
void fill_values(const pgf::Table2x2& t, const ValueSum& v, bool with_value, Datum* values, bool* nulls) {
    const std::int64_t r1 = t.a + t.b, r2 = t.c + t.d;
    nulls[0] = !(with_value && v.n_values > 0 && r1 > 0);
    nulls[1] = !(with_value && v.n_values > 0 && r1 > 0 && r2 > 0);
    if (!nulls[0]) values[0] = num_div(num_mul(num(t.a), v.sum), num_mul(num(r1), num(v.n_values)));
    if (!nulls[1]) {
        const Datum cross = num_sub(num_mul(num(t.a), num(t.d)), num_mul(num(t.b), num(t.c)));
        values[1] = num_div(num_mul(cross, v.sum), num_mul(num_mul(num(r1), num(r2)), num(v.n_values)));
    }
}

// ---- micro_stats / micro_value -------------------------------------------------

struct MicroAccum {
    pgf::Table2x2 table;
    ValueSum values;
};

// ---- micro_correlations ---------------------------------------------------------

struct Counts {
    std::int64_t converted = 0;
    std::int64_t not_converted = 0;
};

using CountMap = std::unordered_map<std::string_view, Counts, std::hash<std::string_view>, std::equal_to<std::string_view>,
                                    ContextAllocator<std::pair<const std::string_view, Counts>>>;

struct CorrelationState {
    explicit CorrelationState(MemoryContext context_)
        : context(context_),
          counts(16, std::hash<std::string_view>(), std::equal_to<std::string_view>(),
                 ContextAllocator<std::pair<const std::string_view, Counts>>(context_)),
          scratch(ContextAllocator<std::string_view>(context_)) {}

    MemoryContext context;
    bool with_value = false;
    bool explicit_min_support = false;
    std::int64_t min_support = 0;
    pgf::CorrelationTotals totals;
    ValueSum values;
    CountMap counts;
    ContextVector<std::string_view> scratch;  // one row's distinct names

    // The entry of `name`, created (with a copy of the name) on first sight.
    Counts& entry(std::string_view name) {
        auto it = counts.find(name);
        if (it != counts.end()) return it->second;
        const char* copy = pgf::pg::copy_to_context(context, name.data(), name.size());
        return counts.emplace(std::string_view(copy, name.size()), Counts{}).first->second;
    }
};

const char* const kSameSupport = "min_support must be the same for every row of a group";

void check_same_settings(const CorrelationState& a, const CorrelationState& b) {
    if (a.with_value != b.with_value || a.explicit_min_support != b.explicit_min_support)
        fail(ErrorKind::InvalidParameter, "cannot combine micro_correlations states of different forms");
    if (a.min_support != b.min_support) fail(ErrorKind::InvalidParameter, kSameSupport);
}

void merge_counts(CorrelationState* into, const CorrelationState& from) {
    if (__builtin_add_overflow(into->totals.converted, from.totals.converted, &into->totals.converted) ||
        __builtin_add_overflow(into->totals.not_converted, from.totals.not_converted, &into->totals.not_converted))
        fail(ErrorKind::CountOutOfRange, "too many actors");
    pgf::InterruptCheck interrupt;
    for (const auto& [name, c] : from.counts) {
        Counts& e = into->entry(name);
        e.converted += c.converted;  // bounded by the totals just checked
        e.not_converted += c.not_converted;
        interrupt.tick();
    }
    into->values.add_sum(into->context, from.values.n_values, from.values.sum);
}

}  // namespace

// micro_sfunc(state, micro boolean, macro boolean [, macro_value numeric])
PGF_FUNCTION(micro_sfunc) {
    MemoryContext context = pgf::pg::aggregate_context(fcinfo);
    auto* s = PG_ARGISNULL(0) ? pgf::pg::make_in_context<MicroAccum>(context)
                              : reinterpret_cast<MicroAccum*>(PG_GETARG_POINTER(0));
    const bool micro = flag(fcinfo, 1), macro = flag(fcinfo, 2);
    std::int64_t* cell = micro ? (macro ? &s->table.a : &s->table.b) : (macro ? &s->table.c : &s->table.d);
    bump(cell);
    pgf::check_table(s->table);  // the total must fit too
    if (PG_NARGS() == 4 && macro && !PG_ARGISNULL(3)) add_macro_value(fcinfo, context, &s->values, 3);
    PG_RETURN_POINTER(s);
}

PGF_FUNCTION(micro_combine) {
    MemoryContext context = pgf::pg::aggregate_context(fcinfo);
    auto* a = PG_ARGISNULL(0) ? nullptr : reinterpret_cast<MicroAccum*>(PG_GETARG_POINTER(0));
    auto* b = PG_ARGISNULL(1) ? nullptr : reinterpret_cast<MicroAccum*>(PG_GETARG_POINTER(1));
    if (!b) {
        if (!a) PG_RETURN_NULL();
        PG_RETURN_POINTER(a);
    }
    if (!a) a = pgf::pg::make_in_context<MicroAccum>(context);
    pgf::Table2x2 t = a->table;
    if (__builtin_add_overflow(t.a, b->table.a, &t.a) || __builtin_add_overflow(t.b, b->table.b, &t.b) ||
        __builtin_add_overflow(t.c, b->table.c, &t.c) || __builtin_add_overflow(t.d, b->table.d, &t.d))
        fail(ErrorKind::CountOutOfRange, "too many actors");
    pgf::check_table(t);
    a->table = t;
    a->values.add_sum(context, b->values.n_values, b->values.sum);
    PG_RETURN_POINTER(a);
}

PGF_FUNCTION(micro_serialize) {
    const auto* s = reinterpret_cast<const MicroAccum*>(PG_GETARG_POINTER(0));
    pgf::MicroState m;
    m.table = s->table;
    m.n_values = s->values.n_values;
    m.sum = sum_text(s->values);
    const std::size_t size = pgf::micro_state_size(m.sum.size());
    bytea* out = nullptr;
    pg_call([&] { out = static_cast<bytea*>(palloc(VARHDRSZ + size)); });
    SET_VARSIZE(out, VARHDRSZ + size);
    pgf::encode_micro_state(m, reinterpret_cast<unsigned char*>(VARDATA(out)));
    PG_RETURN_BYTEA_P(out);
}

PGF_FUNCTION(micro_deserialize) {
    bytea* in = PG_GETARG_BYTEA_PP(0);
    const pgf::MicroState m =
        pgf::decode_micro_state(reinterpret_cast<const unsigned char*>(VARDATA_ANY(in)), VARSIZE_ANY_EXHDR(in));
    auto* s = pgf::pg::make_in_context<MicroAccum>(CurrentMemoryContext);
    s->table = m.table;
    if (m.n_values > 0) {
        s->values.n_values = m.n_values;
        s->values.sum = parse_sum(CurrentMemoryContext, m.sum);
    }
    PG_RETURN_POINTER(s);
}

// micro_value: P(macro | micro) x average macro value = a S / ((a + b) n_values).
PGF_FUNCTION(micro_value_ffunc) {
    if (PG_ARGISNULL(0)) PG_RETURN_NULL();
    const auto* s = reinterpret_cast<const MicroAccum*>(PG_GETARG_POINTER(0));
    Datum values[2];
    bool nulls[2];
    pg_call([&] { fill_values(s->table, s->values, true, values, nulls); });
    if (nulls[0]) PG_RETURN_NULL();
    PG_RETURN_DATUM(values[0]);
}

// micro_stats -> micro_stats composite; zero rows give a row of zero counts.
PGF_FUNCTION(micro_stats_ffunc) {
    pgf::Table2x2 t;
    const ValueSum none;
    const ValueSum* v = &none;
    if (!PG_ARGISNULL(0)) {
        const auto* s = reinterpret_cast<const MicroAccum*>(PG_GETARG_POINTER(0));
        t = s->table;
        v = &s->values;
    }
    const pgf::TableStats stats = pgf::table_stats(t);
    ResultType* rt = result_type(fcinfo, false, kStatsColumns + 3);
    Datum result = 0;
    pg_call([&] {
        Datum values[kStatsColumns + 3];
        bool nulls[kStatsColumns + 3] = {};
        fill_stats(t, stats, values, nulls);
        nulls[kStatsColumns] = v->n_values == 0;
        if (!nulls[kStatsColumns]) values[kStatsColumns] = num_div(v->sum, num(v->n_values));
        fill_values(t, *v, true, values + kStatsColumns + 1, nulls + kStatsColumns + 1);
        result = HeapTupleGetDatum(heap_form_tuple(rt->desc, values, nulls));
    });
    PG_RETURN_DATUM(result);
}

// micro_correlations_sfunc(state, events text[], macro boolean [, min_support bigint])
// micro_correlations_sfunc(state, events text[], macro boolean, macro_value numeric, min_support bigint)
PGF_FUNCTION(micro_correlations_sfunc) {
    MemoryContext context = pgf::pg::aggregate_context(fcinfo);
    const int nargs = PG_NARGS();
    const bool explicit_support = nargs >= 4, with_value = nargs == 5;
    std::int64_t min_support = 0;
    if (explicit_support) {
        if (PG_ARGISNULL(nargs - 1)) fail(ErrorKind::NullNotAllowed, "min_support must not be NULL");
        min_support = PG_GETARG_INT64(nargs - 1);
        pgf::check_min_support(min_support);
    }
    CorrelationState* s = nullptr;
    if (PG_ARGISNULL(0)) {
        s = pgf::pg::make_in_context<CorrelationState>(context, context);
        s->with_value = with_value;
        s->explicit_min_support = explicit_support;
        s->min_support = min_support;
    } else {
        s = reinterpret_cast<CorrelationState*>(PG_GETARG_POINTER(0));
        if (s->min_support != min_support) fail(ErrorKind::InvalidParameter, kSameSupport);
    }

    const bool macro = flag(fcinfo, 2);
    bump(macro ? &s->totals.converted : &s->totals.not_converted);
    if (s->totals.converted > PG_INT64_MAX - s->totals.not_converted) fail(ErrorKind::CountOutOfRange, "too many actors");
    if (with_value && macro && !PG_ARGISNULL(3)) add_macro_value(fcinfo, context, &s->values, 3);
    if (PG_ARGISNULL(1)) PG_RETURN_POINTER(s);  // no events

    ArrayType* events = PG_GETARG_ARRAYTYPE_P(1);
    if (ARR_NDIM(events) > 1) fail(ErrorKind::InvalidParameter, "events must be a one-dimensional text array");
    Datum* elems = nullptr;
    bool* elem_nulls = nullptr;
    int n = 0;
    pg_call([&] { deconstruct_array(events, TEXTOID, -1, false, TYPALIGN_INT, &elems, &elem_nulls, &n); });
    s->scratch.clear();
    for (int i = 0; i < n; ++i) {
        if (elem_nulls[i]) continue;  // a NULL name is no event
        const text* t = reinterpret_cast<const text*>(DatumGetPointer(elems[i]));
        s->scratch.emplace_back(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
    }
    std::sort(s->scratch.begin(), s->scratch.end());
    const auto end = std::unique(s->scratch.begin(), s->scratch.end());
    for (auto it = s->scratch.begin(); it != end; ++it) {
        Counts& c = s->entry(*it);
        ++(macro ? c.converted : c.not_converted);
    }
    s->scratch.clear();
    PG_RETURN_POINTER(s);
}

PGF_FUNCTION(micro_correlations_combine) {
    MemoryContext context = pgf::pg::aggregate_context(fcinfo);
    auto* a = PG_ARGISNULL(0) ? nullptr : reinterpret_cast<CorrelationState*>(PG_GETARG_POINTER(0));
    auto* b = PG_ARGISNULL(1) ? nullptr : reinterpret_cast<CorrelationState*>(PG_GETARG_POINTER(1));
    if (!b) {
        if (!a) PG_RETURN_NULL();
        PG_RETURN_POINTER(a);
    }
    if (!a) {
        a = pgf::pg::make_in_context<CorrelationState>(context, context);
        a->with_value = b->with_value;
        a->explicit_min_support = b->explicit_min_support;
        a->min_support = b->min_support;
    }
    check_same_settings(*a, *b);
    merge_counts(a, *b);
    PG_RETURN_POINTER(a);
}

PGF_FUNCTION(micro_correlations_serialize) {
    const auto* s = reinterpret_cast<const CorrelationState*>(PG_GETARG_POINTER(0));
    pgf::CorrelationHeader h;
    h.with_value = s->with_value;
    h.explicit_min_support = s->explicit_min_support;
    h.min_support = s->min_support;
    h.totals = s->totals;
    h.n_values = s->values.n_values;
    h.sum = sum_text(s->values);
    h.n_events = static_cast<std::int64_t>(s->counts.size());
    std::size_t size = pgf::correlation_header_size(h.sum.size());
    for (const auto& entry : s->counts) {
        size += pgf::kCorrelationEntryFixed + entry.first.size();
        if (size > MaxAllocSize - VARHDRSZ)
            fail(ErrorKind::LimitExceeded, "micro_correlations state is too large to send to a parallel worker");
    }
    bytea* out = nullptr;
    pg_call([&] { out = static_cast<bytea*>(palloc(VARHDRSZ + size)); });
    SET_VARSIZE(out, VARHDRSZ + size);
    unsigned char* p = pgf::encode_correlation_header(h, reinterpret_cast<unsigned char*>(VARDATA(out)));
    for (const auto& [name, c] : s->counts) p = pgf::encode_correlation_entry({name, c.converted, c.not_converted}, p);
    PG_RETURN_BYTEA_P(out);
}

PGF_FUNCTION(micro_correlations_deserialize) {
    bytea* in = PG_GETARG_BYTEA_PP(0);
    pgf::CorrelationDecoder dec(reinterpret_cast<const unsigned char*>(VARDATA_ANY(in)), VARSIZE_ANY_EXHDR(in));
    const pgf::CorrelationHeader& h = dec.header();
    auto* s = pgf::pg::make_in_context<CorrelationState>(CurrentMemoryContext, CurrentMemoryContext);
    s->with_value = h.with_value;
    s->explicit_min_support = h.explicit_min_support;
    s->min_support = h.min_support;
    s->totals = h.totals;
    if (h.n_values > 0) {
        s->values.n_values = h.n_values;
        s->values.sum = parse_sum(CurrentMemoryContext, h.sum);
    }
    s->counts.reserve(static_cast<std::size_t>(h.n_events));
    pgf::InterruptCheck interrupt;
    for (std::int64_t i = 0; i < h.n_events; ++i) {
        const pgf::EventCount e = dec.next();
        const std::size_t before = s->counts.size();
        Counts& c = s->entry(e.name);
        if (s->counts.size() == before)
            fail(ErrorKind::CorruptState, "corrupt micro_correlations aggregate state: duplicate event name");
        c.converted = e.converted;
        c.not_converted = e.not_converted;
        interrupt.tick();
    }
    dec.finish();
    PG_RETURN_POINTER(s);
}

// micro_correlations -> micro_correlation[], ranked; zero rows give an empty array.
PGF_FUNCTION(micro_correlations_ffunc) {
    ResultType* rt = result_type(fcinfo, true, 2 + kStatsColumns + 3);
    if (PG_ARGISNULL(0)) {
        ArrayType* empty = nullptr;
        pg_call([&] { empty = construct_empty_array(rt->type); });
        PG_RETURN_ARRAYTYPE_P(empty);
    }
    const auto* s = reinterpret_cast<const CorrelationState*>(PG_GETARG_POINTER(0));
    std::vector<pgf::EventCount> events;
    events.reserve(s->counts.size());
    for (const auto& [name, c] : s->counts) events.push_back({name, c.converted, c.not_converted});
    const std::int64_t min_support = s->explicit_min_support
                                         ? s->min_support
                                         : pgf::default_min_support(s->totals.converted + s->totals.not_converted);
    const std::vector<pgf::CorrelationRow> rows = pgf::rank_correlations(events, s->totals, min_support);

    ArrayType* result = nullptr;
    pg_call([&] {
        const int n = static_cast<int>(rows.size());
        Datum* elems = static_cast<Datum*>(palloc(sizeof(Datum) * static_cast<std::size_t>(std::max(n, 1))));
        for (int i = 0; i < n; ++i) {
            CHECK_FOR_INTERRUPTS();
            const pgf::CorrelationRow& r = rows[static_cast<std::size_t>(i)];
            Datum values[2 + kStatsColumns + 3];
            bool nulls[2 + kStatsColumns + 3] = {};
            values[0] = Int32GetDatum(r.rank);
            values[1] = PointerGetDatum(cstring_to_text_with_len(r.name.data(), static_cast<int>(r.name.size())));
            fill_stats(r.table, r.stats, values + 2, nulls + 2);
            values[2 + kStatsColumns] = Float8GetDatum(r.q_value);
            fill_values(r.table, s->values, s->with_value, values + 3 + kStatsColumns, nulls + 3 + kStatsColumns);
            elems[i] = HeapTupleGetDatum(heap_form_tuple(rt->desc, values, nulls));
        }
        result = construct_array(elems, n, rt->type, rt->len, rt->byval, rt->align);
    });
    PG_RETURN_ARRAYTYPE_P(result);
}
