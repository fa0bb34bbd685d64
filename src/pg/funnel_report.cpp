// SQL family: funnel_report, the funnel report (actors per level) in one
// aggregate over raw events, without a per-actor GROUP BY. The state is a
// FunnelReportBuffer (src/core/funnel_report.hpp) in the aggregate's memory context.
#include <cstring>

#include "core/dropoff.hpp"
#include "core/funnel_report.hpp"
#include "pg/condition_args.hpp"
#include "pg/event_state.hpp"
#include "pg/guard.hpp"
#include "pg/modes_arg.hpp"
#include "pg/step_names.hpp"

extern "C" {
#include "utils/uuid.h"
}

using pgf::ErrorKind;
using pgf::fail;
using pgf::FunnelReportBuffer;
using pgf::pg::ModesText;
using pgf::pg::modes_arg;
using pgf::pg::TimeKind;

namespace {

// ---------------------------------------------------------------- state

enum class ActorType : std::uint8_t { Int2, Int4, Int8, Varlena, Uuid };

struct ReportState {
    ReportState(MemoryContext context, pgf::ActorKeyKind key_kind, const pgf::FunnelSpec& spec)
        : buffer(pgf::pg::context_hooks(context), key_kind, spec) {}

    FunnelReportBuffer buffer;
    TimeKind kind = TimeKind::Timestamptz;
    ActorType actor = ActorType::Int8;  // meaningful in the transition function only
    // The window and modes arguments as first given, for a cheap per-row check.
    Datum window_int = 0;
    Interval window_interval{};
    const char* modes_text = nullptr;
    std::size_t modes_size = 0;
    // Made by the deserialize function in the aggregate's own context: the
    // combine function may take it over as its state, or free it once merged.
    bool received = false;
    // Received states with their keys in order, like this one's: kept as they
    // are and reported together with it (FunnelReportBuffer::levels_of_union),
    // since merging them first would copy every worker's rows once more.
    ReportState** unmerged = nullptr;
    std::uint32_t n_unmerged = 0, unmerged_room = 0;
};

// A received state once merged: its memory (a worker's share of the rows) can go.
void release_received(ReportState* b) {
    b->~ReportState();
    pfree(b);
}

// Merges the states kept aside into s's buffer (anything but the final report
// needs them merged) and frees them.
void merge_unmerged(ReportState* s) {
    for (std::uint32_t i = 0; i < s->n_unmerged; ++i) {
        s->buffer.merge(s->unmerged[i]->buffer);
        release_received(s->unmerged[i]);
        s->unmerged[i] = nullptr;
    }
    s->n_unmerged = 0;
}

void keep_unmerged(MemoryContext context, ReportState* s, ReportState* b) {
    if (s->n_unmerged == s->unmerged_room) {
        const std::uint32_t room = s->unmerged_room ? 2 * s->unmerged_room : 4;
        pgf::pg::pg_call([&] {
            s->unmerged = static_cast<ReportState**>(
                s->unmerged ? repalloc(s->unmerged, room * sizeof(ReportState*))
                            : MemoryContextAlloc(context, room * sizeof(ReportState*)));
        });
        s->unmerged_room = room;
    }
    s->unmerged[s->n_unmerged++] = b;
}

ActorType actor_type_of(FunctionCallInfo fcinfo, Oid type) {
    switch (getBaseType(type)) {
        case INT2OID: return ActorType::Int2;
        case INT4OID: return ActorType::Int4;
        case INT8OID: return ActorType::Int8;
        case UUIDOID: return ActorType::Uuid;
        case BYTEAOID: return ActorType::Varlena;
        case TEXTOID:
        case VARCHAROID: {
            if (!pgf::pg::collation_is_deterministic(fcinfo))
                fail(ErrorKind::InvalidParameter,
                     "funnel_report: a text actor with a nondeterministic collation is not supported; "
                     "use COLLATE \"C\" or a deterministic collation");
            return ActorType::Varlena;
        }
        default:
            fail(ErrorKind::InvalidParameter,
                 "funnel_report: the actor must be bigint, integer, smallint, text, varchar, uuid or bytea; "
                 "cast it to one of them");
    }
}

pgf::ActorKeyKind key_kind_of(ActorType t) {
    return t == ActorType::Varlena || t == ActorType::Uuid ? pgf::ActorKeyKind::Bytes : pgf::ActorKeyKind::Integer;
}

void check_same_window(ReportState* s, Datum window) {
    if (s->kind == TimeKind::Bigint) {
        if (DatumGetInt64(window) == DatumGetInt64(s->window_int)) return;
    } else if (std::memcmp(DatumGetIntervalP(window), &s->window_interval, sizeof(Interval)) == 0) {
        return;
    }
    if (pgf::pg::window_in_time_units(s->kind, window) != s->buffer.spec().window)
        fail(ErrorKind::InvalidParameter, "funnel window must be the same for every row of a group");
}

ReportState* make_state(FunctionCallInfo fcinfo, MemoryContext context, int n_steps, std::uint64_t steps_id,
                        bool has_modes) {
    const ActorType actor = actor_type_of(fcinfo, get_fn_expr_argtype(fcinfo->flinfo, 1));
    const TimeKind kind = pgf::pg::time_kind_of(get_fn_expr_argtype(fcinfo->flinfo, 2));
    pgf::FunnelSpec spec;
    spec.window = pgf::pg::window_in_time_units(kind, PG_GETARG_DATUM(3));
    spec.n_steps = n_steps;
    spec.steps_id = steps_id;
    ModesText m{nullptr, 0};
    if (has_modes) {
        m = modes_arg(fcinfo, 4);
        spec.modes = pgf::parse_funnel_modes(std::string_view(m.data, m.size));
    }
    pgf::check_funnel_spec(spec);
    ReportState* s = pgf::pg::make_in_context<ReportState>(context, context, key_kind_of(actor), spec);
    s->kind = kind;
    s->actor = actor;
    if (kind == TimeKind::Bigint)
        s->window_int = PG_GETARG_DATUM(3);
    else
        std::memcpy(&s->window_interval, DatumGetIntervalP(PG_GETARG_DATUM(3)), sizeof(Interval));
    if (has_modes) {
        s->modes_text = pgf::pg::keep_modes_text(context, m);
        s->modes_size = m.size;
    }
    return s;
}

ReportState* combine_target(MemoryContext context, const ReportState& like) {
    ReportState* s = pgf::pg::make_in_context<ReportState>(context, context, like.buffer.key_kind(),
                                                           like.buffer.spec());
    s->kind = like.kind;
    s->actor = like.actor;
    return s;
}

}  // namespace

namespace {

// Later rows of a group: the same window, number of steps and modes as the first.
void check_same_arguments(FunctionCallInfo fcinfo, ReportState* s, int n_steps, bool has_modes) {
    check_same_window(s, PG_GETARG_DATUM(3));
    if (n_steps != s->buffer.spec().n_steps)
        fail(ErrorKind::InvalidParameter, "the number of funnel steps must be the same for every row of a group");
    if (has_modes) pgf::pg::check_same_modes(modes_arg(fcinfo, 4), s->modes_text, s->modes_size, s->buffer.spec().modes);
}

// The row's actor, time and step mask into the buffer.
void add_row(FunctionCallInfo fcinfo, ReportState* s, std::uint64_t mask) {
    const bool has_event = !PG_ARGISNULL(2);
    const std::int64_t ts = has_event ? pgf::pg::time_value(s->kind, PG_GETARG_DATUM(2)) : 0;
    if (PG_ARGISNULL(1)) {
        s->buffer.add_null_actor(has_event, ts, mask);
        return;
    }
    const Datum actor = PG_GETARG_DATUM(1);
    switch (s->actor) {
        case ActorType::Int2: s->buffer.add_integer(DatumGetInt16(actor), has_event, ts, mask); break;
        case ActorType::Int4: s->buffer.add_integer(DatumGetInt32(actor), has_event, ts, mask); break;
        case ActorType::Int8: s->buffer.add_integer(DatumGetInt64(actor), has_event, ts, mask); break;
        case ActorType::Uuid: s->buffer.add_bytes(DatumGetPointer(actor), UUID_LEN, has_event, ts, mask); break;
        case ActorType::Varlena: {
            varlena* v = nullptr;
            pgf::pg::pg_call([&] { v = PG_DETOAST_DATUM_PACKED(actor); });
            s->buffer.add_bytes(VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v), has_event, ts, mask);
            if (reinterpret_cast<Pointer>(v) != DatumGetPointer(actor)) pfree(v);
            break;
        }
    }
}

}  // namespace

namespace {

// A row of the boolean form: its conditions from argument `first` on (after the
// modes when has_modes), kept in fn_extra.
Datum add_condition_row(FunctionCallInfo fcinfo, int first, bool has_modes) {
    ReportState* s = PG_ARGISNULL(0) ? nullptr : reinterpret_cast<ReportState*>(PG_GETARG_POINTER(0));
    if (PG_ARGISNULL(3)) fail(ErrorKind::NullNotAllowed, "funnel window must not be NULL");
    const pgf::pg::ConditionArgs& c =
        pgf::pg::condition_args(fcinfo, &fcinfo->flinfo->fn_extra, first, "funnel_report", pgf::pg::check_step_count);
    int n_steps = 0;
    const std::uint64_t mask = c.row_mask(fcinfo, &n_steps, "funnel steps must not be NULL", pgf::pg::steps_mask);

    if (!s) {
        // Only the first row asks for the aggregate context (on every row,
        // AggCheckCallContext was about 3% of a serial report's profile); later
        // rows bring a state, which only an aggregate call can hold. The other
        // transition functions do the same.
        s = make_state(fcinfo, pgf::pg::aggregate_context(fcinfo), n_steps, 0, has_modes);
    } else {
        check_same_arguments(fcinfo, s, n_steps, has_modes);
    }
    if (s->n_unmerged) merge_unmerged(s);
    add_row(fcinfo, s, mask);
    PG_RETURN_POINTER(s);
}

}  // namespace

// funnel_report_sfunc(state, actor, ts, window, VARIADIC steps "any")
PGF_FUNCTION(funnel_report_sfunc) { return add_condition_row(fcinfo, 4, false); }

// funnel_report_modes_sfunc(state, actor, ts, window, modes, steps): the steps
// are one boolean, a boolean and VARIADIC "any", or a boolean[].
PGF_FUNCTION(funnel_report_modes_sfunc) { return add_condition_row(fcinfo, 5, true); }

// funnel_report_names_sfunc(state, actor, ts, window, [modes,] event, steps text[]):
// step i matches the rows whose event equals steps[i].
PGF_FUNCTION(funnel_report_names_sfunc) {
    ReportState* s = PG_ARGISNULL(0) ? nullptr : reinterpret_cast<ReportState*>(PG_GETARG_POINTER(0));
    const int event_arg = PG_NARGS() - 2;
    const int steps_arg = PG_NARGS() - 1;
    const bool has_modes = PG_NARGS() == 7;

    if (PG_ARGISNULL(3)) fail(ErrorKind::NullNotAllowed, "funnel window must not be NULL");
    const pgf::pg::StepNamesArg* names =
        pgf::pg::step_names_arg(fcinfo, &fcinfo->flinfo->fn_extra, steps_arg, "funnel_report");
    if (!s) {
        MemoryContext context = pgf::pg::aggregate_context(fcinfo);
        s = make_state(fcinfo, context, names->names->n_steps(), names->names->fingerprint(), has_modes);
    } else if (names->names->fingerprint() != s->buffer.spec().steps_id) {
        fail(ErrorKind::InvalidParameter, "funnel step names must be the same for every row of a group");
    }
    check_same_arguments(fcinfo, s, names->names->n_steps(), has_modes);
    if (s->n_unmerged) merge_unmerged(s);
    add_row(fcinfo, s, pgf::pg::event_mask(fcinfo, event_arg, *names->names));
    PG_RETURN_POINTER(s);
}

// Actors per level, as bigint[] with bounds [0:n_steps]: r[L] = actors whose
// deepest level is exactly L. Read-only for the state's contents (the buffer is
// regrouped in place, the same multiset), so it also works as a window aggregate.
PGF_FUNCTION(funnel_report_ffunc) {
    if (PG_ARGISNULL(0)) PG_RETURN_NULL();
    ReportState* s = reinterpret_cast<ReportState*>(PG_GETARG_POINTER(0));
    std::vector<std::int64_t> levels;
    if (s->n_unmerged) {
        FunnelReportBuffer** parts = nullptr;
        pgf::pg::pg_call([&] {
            parts = static_cast<FunnelReportBuffer**>(palloc((s->n_unmerged + 1) * sizeof(FunnelReportBuffer*)));
        });
        parts[0] = &s->buffer;
        for (std::uint32_t i = 0; i < s->n_unmerged; ++i) parts[i + 1] = &s->unmerged[i]->buffer;
        levels = FunnelReportBuffer::levels_of_union(parts, s->n_unmerged + 1);
        pfree(parts);
    } else {
        levels = s->buffer.levels();
    }
    ArrayType* result = nullptr;
    pgf::pg::pg_call([&] {
        const int n = static_cast<int>(levels.size());
        Datum* elems = static_cast<Datum*>(palloc(sizeof(Datum) * levels.size()));
        for (int i = 0; i < n; ++i) elems[i] = Int64GetDatum(levels[static_cast<std::size_t>(i)]);
        int dims[1] = {n};
        int lbs[1] = {0};
        result = construct_md_array(elems, nullptr, 1, dims, lbs, INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE);
    });
    PG_RETURN_ARRAYTYPE_P(result);
}

PGF_FUNCTION(funnel_report_combine) {
    MemoryContext context = pgf::pg::aggregate_context(fcinfo);
    ReportState* a = PG_ARGISNULL(0) ? nullptr : reinterpret_cast<ReportState*>(PG_GETARG_POINTER(0));
    ReportState* b = PG_ARGISNULL(1) ? nullptr : reinterpret_cast<ReportState*>(PG_GETARG_POINTER(1));
    if (!b) {
        if (!a) PG_RETURN_NULL();
        PG_RETURN_POINTER(a);
    }
    if (!a && b->received) {
        // The first state received: becomes the state as it is, without a copy.
        b->received = false;
        PG_RETURN_POINTER(b);
    }
    if (!a) a = combine_target(context, *b);
    if (a->kind != b->kind)
        fail(ErrorKind::InvalidParameter, "cannot combine funnel_report states with different time types");
    if (b->received && a->buffer.keys_in_order() && b->buffer.keys_in_order()) {
        a->buffer.check_mergeable(b->buffer);
        keep_unmerged(context, a, b);
        PG_RETURN_POINTER(a);
    }
    merge_unmerged(a);
    a->buffer.merge(b->buffer);
    if (b->received) release_received(b);
    PG_RETURN_POINTER(a);
}

// A worker's state is serialized once, when its share of the rows is done: it
// settles the levels of its actors first (FunnelReportBuffer::settle_levels), so
// that part of the final step runs in parallel.
PGF_FUNCTION(funnel_report_serialize) {
    ReportState* s = reinterpret_cast<ReportState*>(PG_GETARG_POINTER(0));
    merge_unmerged(s);
    s->buffer.settle_levels();
    const std::size_t size = s->buffer.encoded_size(MaxAllocSize - VARHDRSZ);
    bytea* out = static_cast<bytea*>(palloc(VARHDRSZ + size));
    SET_VARSIZE(out, VARHDRSZ + size);
    s->buffer.encode(static_cast<std::uint8_t>(s->kind), reinterpret_cast<unsigned char*>(VARDATA(out)));
    PG_RETURN_BYTEA_P(out);
}

PGF_FUNCTION(funnel_report_deserialize) {
    bytea* in = PG_GETARG_BYTEA_PP(0);
    const auto* bytes = reinterpret_cast<const unsigned char*>(VARDATA_ANY(in));
    const std::size_t len = VARSIZE_ANY_EXHDR(in);
    const FunnelReportBuffer::Header h = FunnelReportBuffer::decode_header(bytes, len);
    if (h.host_tag > static_cast<std::uint8_t>(TimeKind::Bigint))
        fail(ErrorKind::CorruptState, "corrupt pg_funnel funnel_report state: unknown time type");
    // In the aggregate's context when there is one (see ReportState::received).
    MemoryContext context = CurrentMemoryContext;
    const bool in_aggregate = AggCheckCallContext(fcinfo, &context) != 0;
    ReportState* s = pgf::pg::make_in_context<ReportState>(context, context, h.kind, h.spec);
    s->received = in_aggregate;
    s->kind = static_cast<TimeKind>(h.host_tag);
    s->buffer.decode_into(bytes, len);
    if (s->kind == TimeKind::Date)
        s->buffer.for_each_time([](std::int64_t t) {
            if (t < PG_INT32_MIN || t > PG_INT32_MAX)
                fail(ErrorKind::CorruptState, "corrupt pg_funnel funnel_report state: date out of range");
        });
    PG_RETURN_POINTER(s);
}

// funnel_report_check(report bigint[]) -> the same array, after checking that it
// is a report: one dimension, 2..kMaxSteps + 1 elements, no NULL, no negative
// count, a total that fits in bigint. The flat forms call it first.
PGF_FUNCTION(funnel_report_check) {
    ArrayType* a = PG_GETARG_ARRAYTYPE_P(0);
    if (ARR_ELEMTYPE(a) != INT8OID || ARR_NDIM(a) != 1)
        fail(ErrorKind::InvalidParameter, "a funnel report is a one-dimensional bigint array (from funnel_report)");
    const int n = ARR_DIMS(a)[0];
    if (n < 2 || n > pgf::kMaxSteps + 1)
        fail(ErrorKind::InvalidParameter, "a funnel report has 2 to " + std::to_string(pgf::kMaxSteps + 1) +
                                              " elements (levels 0..n), got " + std::to_string(n));
    if (ARR_HASNULL(a)) fail(ErrorKind::NullNotAllowed, "a funnel report has no NULL counts");
    const auto* counts = reinterpret_cast<const std::int64_t*>(ARR_DATA_PTR(a));
    try {
        pgf::actors_reaching(counts, n - 1, 0);
    } catch (const pgf::Error&) {
        fail(ErrorKind::CountOutOfRange, "a funnel report has counts that are negative or sum beyond bigint");
    }
    PG_RETURN_ARRAYTYPE_P(a);
}
