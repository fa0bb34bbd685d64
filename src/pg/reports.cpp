// SQL family: dropoff_by_stage (levels or step times per actor -> funnel_stage[]).
// The state counts actors per level and keeps every step duration, so the median
// is exact; combine / serialize / deserialize make it parallel safe. Formulas and
// conventions: docs/reports.md.
#include <algorithm>
#include <cstring>
#include <optional>
#include <vector>

#include "core/dropoff.hpp"
#include "core/interrupt.hpp"
#include "pg/context_allocator.hpp"
#include "pg/guard.hpp"
#include "pg/time_args.hpp"

using pgf::ErrorKind;
using pgf::fail;
using pgf::kMaxSteps;

namespace {

using pgf::pg::ContextAllocator;
using pgf::pg::ContextVector;
using pgf::pg::TimeKind;

// form 0: levels only; form 1..4: times of TimeKind (form - 1).
constexpr std::uint8_t kLevelsForm = 0;

using Durations = ContextVector<std::int64_t>;
using DurationTable = boost::container::vector<Durations, ContextAllocator<Durations>>;

struct DropoffState {
    DropoffState(MemoryContext context, std::uint8_t form_, int n_steps_)
        : form(form_), n_steps(n_steps_), durations(ContextAllocator<Durations>(context)) {
        if (form != kLevelsForm)
            for (int k = 2; k <= n_steps; ++k) durations.emplace_back(ContextAllocator<std::int64_t>(context));
    }

    std::uint8_t form;
    int n_steps;
    std::int64_t at_level[kMaxSteps + 1] = {};
    DurationTable durations;  // [k - 2]: one per actor that reached stage k, k = 2..n_steps

    TimeKind kind() const { return static_cast<TimeKind>(form - 1); }
};

const char* const kSameSteps = "n_steps must be the same for every row of a group";

int n_steps_arg(FunctionCallInfo fcinfo, int arg) {
    if (PG_ARGISNULL(arg)) fail(ErrorKind::NullNotAllowed, "n_steps must not be NULL");
    const std::int32_t n = PG_GETARG_INT32(arg);
    pgf::check_dropoff_steps(n);
    return n;
}

DropoffState* state_for_row(FunctionCallInfo fcinfo, std::uint8_t form, int n_steps) {
    MemoryContext context = pgf::pg::aggregate_context(fcinfo);
    if (PG_ARGISNULL(0)) return pgf::pg::make_in_context<DropoffState>(context, context, form, n_steps);
    auto* state = reinterpret_cast<DropoffState*>(PG_GETARG_POINTER(0));
    if (state->n_steps != n_steps) fail(ErrorKind::InvalidParameter, kSameSteps);
    if (state->form != form) fail(ErrorKind::Internal, "dropoff_by_stage: the time type changed within a group");
    return state;
}

void count_level(DropoffState* state, int level) {
    if (__builtin_add_overflow(state->at_level[level], 1, &state->at_level[level]))
        fail(ErrorKind::CountOutOfRange, "dropoff_by_stage: too many actors");
}

void check_same(const DropoffState& a, const DropoffState& b) {
    if (a.n_steps != b.n_steps) fail(ErrorKind::InvalidParameter, kSameSteps);
    if (a.form != b.form) fail(ErrorKind::InvalidParameter, "cannot combine dropoff_by_stage states of different forms");
}

// Element type of the array the final function returns, and its row descriptor,
// cached for the life of the call site.
struct ResultType {
    Oid element;
    int16 len;
    bool byval;
    char align;
    TupleDesc desc;
};

ResultType* result_type(FunctionCallInfo fcinfo) {
    if (fcinfo->flinfo->fn_extra) return static_cast<ResultType*>(fcinfo->flinfo->fn_extra);
    ResultType* rt = nullptr;
    pgf::pg::pg_call([&] {
        MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
        rt = static_cast<ResultType*>(palloc(sizeof(ResultType)));
        rt->element = get_element_type(get_func_rettype(fcinfo->flinfo->fn_oid));
        if (OidIsValid(rt->element)) {
            get_typlenbyvalalign(rt->element, &rt->len, &rt->byval, &rt->align);
            rt->desc = TypeGetTupleDesc(rt->element, NIL);
        }
        MemoryContextSwitchTo(old);
    });
    if (!OidIsValid(rt->element) || rt->desc == nullptr || rt->desc->natts != 8)
        fail(ErrorKind::Internal, "dropoff_by_stage: unexpected result type");
    fcinfo->flinfo->fn_extra = rt;
    return rt;
}

Datum interval_datum(std::int64_t microseconds) {
    Interval* iv = static_cast<Interval*>(palloc(sizeof(Interval)));
    iv->month = 0;
    iv->day = static_cast<int32>(microseconds / USECS_PER_DAY);
    iv->time = microseconds % USECS_PER_DAY;
    return IntervalPGetDatum(iv);
}

}  // namespace

// dropoff_levels_sfunc(state, level int, n_steps int)
PGF_FUNCTION(dropoff_levels_sfunc) {
    const int n_steps = n_steps_arg(fcinfo, 2);
    DropoffState* state = state_for_row(fcinfo, kLevelsForm, n_steps);
    if (PG_ARGISNULL(1)) PG_RETURN_POINTER(state);  // no level: the actor counts nowhere
    const std::int32_t level = PG_GETARG_INT32(1);
    pgf::check_dropoff_level(level, n_steps);
    count_level(state, level);
    PG_RETURN_POINTER(state);
}

// dropoff_times_sfunc(state, times <time>[], n_steps int)
PGF_FUNCTION(dropoff_times_sfunc) {
    const int n_steps = n_steps_arg(fcinfo, 2);
    const Oid array_type = get_fn_expr_argtype(fcinfo->flinfo, 1);
    const TimeKind kind = pgf::pg::time_kind_of(get_element_type(array_type));
    DropoffState* state = state_for_row(fcinfo, static_cast<std::uint8_t>(static_cast<int>(kind) + 1), n_steps);
    if (PG_ARGISNULL(1)) PG_RETURN_POINTER(state);  // no times: level 0, counts nowhere

    ArrayType* times = PG_GETARG_ARRAYTYPE_P(1);
    if (ARR_NDIM(times) > 1) fail(ErrorKind::InvalidParameter, "times must be a one-dimensional array");
    if (ARR_HASNULL(times)) fail(ErrorKind::NullNotAllowed, "times must not contain NULL elements");
    const int level = ARR_NDIM(times) == 0 ? 0 : ARR_DIMS(times)[0];
    if (level > n_steps)
        fail(ErrorKind::InvalidParameter, "times has " + std::to_string(level) + " elements, more than n_steps (" +
                                              std::to_string(n_steps) + ")");

    std::int64_t t[kMaxSteps];
    const char* data = ARR_DATA_PTR(times);
    for (int i = 0; i < level; ++i) {
        if (kind == TimeKind::Date) {
            DateADT v;
            std::memcpy(&v, data + i * sizeof(DateADT), sizeof v);
            if (DATE_NOT_FINITE(v)) fail(ErrorKind::OutOfRange, "times must be finite dates");
            t[i] = v;
        } else {
            std::int64_t v;
            std::memcpy(&v, data + i * sizeof(std::int64_t), sizeof v);
            if (kind != TimeKind::Bigint && TIMESTAMP_NOT_FINITE(v))
                fail(ErrorKind::OutOfRange, "times must be finite timestamps");
            t[i] = v;
        }
    }
    std::int64_t diff[kMaxSteps];
    for (int k = 2; k <= level; ++k)
        if (__builtin_sub_overflow(t[k - 1], t[k - 2], &diff[k - 2]))
            fail(ErrorKind::OutOfRange, "time difference is out of range");
    for (int k = 2; k <= level; ++k) state->durations[static_cast<std::size_t>(k - 2)].push_back(diff[k - 2]);
    count_level(state, level);
    PG_RETURN_POINTER(state);
}

PGF_FUNCTION(dropoff_by_stage_combine) {
    MemoryContext context = pgf::pg::aggregate_context(fcinfo);
    auto* a = PG_ARGISNULL(0) ? nullptr : reinterpret_cast<DropoffState*>(PG_GETARG_POINTER(0));
    auto* b = PG_ARGISNULL(1) ? nullptr : reinterpret_cast<DropoffState*>(PG_GETARG_POINTER(1));
    if (!b) {
        if (!a) PG_RETURN_NULL();
        PG_RETURN_POINTER(a);
    }
    if (!a) {
        a = pgf::pg::make_in_context<DropoffState>(context, context, b->form, b->n_steps);
    } else {
        check_same(*a, *b);
    }
    for (int level = 0; level <= a->n_steps; ++level)
        if (__builtin_add_overflow(a->at_level[level], b->at_level[level], &a->at_level[level]))
            fail(ErrorKind::CountOutOfRange, "dropoff_by_stage: too many actors");
    for (std::size_t k = 0; k < a->durations.size(); ++k)
        a->durations[k].insert(a->durations[k].end(), b->durations[k].begin(), b->durations[k].end());
    PG_RETURN_POINTER(a);
}

PGF_FUNCTION(dropoff_by_stage_serialize) {
    const auto* s = reinterpret_cast<const DropoffState*>(PG_GETARG_POINTER(0));
    const std::int64_t* stages[kMaxSteps] = {};
    for (std::size_t k = 0; k < s->durations.size(); ++k) stages[k] = s->durations[k].data();
    pgf::DropoffStateView view;
    view.form = s->form;
    view.n_steps = s->n_steps;
    view.at_level = s->at_level;
    view.durations = stages;
    const std::size_t size = pgf::dropoff_encoded_size(view, MaxAllocSize - VARHDRSZ);
    bytea* out = nullptr;
    pgf::pg::pg_call([&] { out = static_cast<bytea*>(palloc(VARHDRSZ + size)); });
    SET_VARSIZE(out, VARHDRSZ + size);
    pgf::encode_dropoff(view, reinterpret_cast<unsigned char*>(VARDATA(out)));
    PG_RETURN_BYTEA_P(out);
}

PGF_FUNCTION(dropoff_by_stage_deserialize) {
    bytea* in = PG_GETARG_BYTEA_PP(0);
    const pgf::DropoffDecoded d = pgf::decode_dropoff(reinterpret_cast<const unsigned char*>(VARDATA_ANY(in)),
                                                      VARSIZE_ANY_EXHDR(in));
    auto* s = pgf::pg::make_in_context<DropoffState>(CurrentMemoryContext, CurrentMemoryContext, d.form(), d.n_steps());
    std::copy(d.at_level(), d.at_level() + d.n_steps() + 1, s->at_level);
    if (s->form != kLevelsForm) {
        pgf::InterruptCheck interrupt;
        for (int k = 2; k <= s->n_steps; ++k) {
            Durations& out = s->durations[static_cast<std::size_t>(k - 2)];
            const std::int64_t n = d.durations(k);
            out.reserve(static_cast<std::size_t>(n));
            for (std::int64_t i = 0; i < n; ++i) {
                out.push_back(d.duration(k, i));  // range-checked by the core decoder
                interrupt.tick();
            }
        }
    }
    PG_RETURN_POINTER(s);
}

// dropoff_by_stage_ffunc(state) -> funnel_stage[] (levels, timestamptz, timestamp,
// date) or funnel_stage_bigint[] (bigint). Read-only: works as a window aggregate.
PGF_FUNCTION(dropoff_by_stage_ffunc) {
    if (PG_ARGISNULL(0)) PG_RETURN_NULL();
    const auto* s = reinterpret_cast<const DropoffState*>(PG_GETARG_POINTER(0));
    ResultType* rt = result_type(fcinfo);
    const bool bigint = s->form != kLevelsForm && s->kind() == TimeKind::Bigint;
    const Oid avg_type = TupleDescAttr(rt->desc, 6)->atttypid;
    if (avg_type != (bigint ? FLOAT8OID : INTERVALOID))
        fail(ErrorKind::Internal, "dropoff_by_stage: the result type does not match the time type");

    const std::vector<pgf::StageStats> stages = pgf::dropoff_stages(s->at_level, s->n_steps);
    const std::int64_t scale = s->form != kLevelsForm && s->kind() == TimeKind::Date ? USECS_PER_DAY : 1;
    std::vector<std::optional<pgf::DurationSummary>> times(stages.size());
    if (s->form != kLevelsForm)
        for (int k = 2; k <= s->n_steps; ++k) {
            const Durations& d = s->durations[static_cast<std::size_t>(k - 2)];
            times[static_cast<std::size_t>(k - 1)] =
                pgf::summarize_durations(std::vector<std::int64_t>(d.begin(), d.end()), scale);
        }

    ArrayType* result = nullptr;
    pgf::pg::pg_call([&] {
        const int n = static_cast<int>(stages.size());
        Datum* elems = static_cast<Datum*>(palloc(sizeof(Datum) * static_cast<std::size_t>(n)));
        for (int i = 0; i < n; ++i) {
            const pgf::StageStats& st = stages[static_cast<std::size_t>(i)];
            const auto& tm = times[static_cast<std::size_t>(i)];
            Datum values[8];
            bool nulls[8] = {};
            values[0] = Int32GetDatum(st.stage);
            values[1] = Int64GetDatum(st.actors);
            values[2] = Int64GetDatum(st.dropped);
            const std::optional<double>* rates[3] = {&st.conversion_from_start, &st.conversion_from_previous,
                                                     &st.dropoff_rate};
            for (int r = 0; r < 3; ++r) {
                nulls[3 + r] = !rates[r]->has_value();
                values[3 + r] = nulls[3 + r] ? Datum(0) : Float8GetDatum(**rates[r]);
            }
            nulls[6] = nulls[7] = !tm.has_value();
            if (tm) {
                if (bigint) {
                    values[6] = Float8GetDatum(tm->mean);
                    values[7] = Float8GetDatum(tm->median);
                } else {
                    values[6] = interval_datum(tm->mean_rounded);
                    values[7] = interval_datum(tm->median_rounded);
                }
            }
            elems[i] = HeapTupleGetDatum(heap_form_tuple(rt->desc, values, nulls));
        }
        result = construct_array(elems, n, rt->element, rt->len, rt->byval, rt->align);
    });
    PG_RETURN_ARRAYTYPE_P(result);
}
