// SQL family: funnel_steps and funnel_times (transition and final functions).
#include <cstring>

#include "core/funnel.hpp"
#include "pg/condition_args.hpp"
#include "pg/event_state.hpp"
#include "pg/guard.hpp"
#include "pg/modes_arg.hpp"
#include "pg/step_names.hpp"

using pgf::Event;
using pgf::ErrorKind;
using pgf::fail;
using pgf::pg::call_of;
using pgf::pg::EventCall;
using pgf::pg::EventState;

using pgf::pg::ModesText;
using pgf::pg::modes_arg;

namespace {

// fn_extra of the transition functions: the step names read at this call site
// (pg/step_names.hpp) or its boolean conditions (pg/condition_args.hpp), and the
// groups' shared parameters.
struct FunnelCallSite {
    void* step_names = nullptr;
    void* conditions = nullptr;
    pgf::pg::EventCallCache calls;
};

FunnelCallSite* call_site(FunctionCallInfo fcinfo) {
    if (!fcinfo->flinfo->fn_extra)
        fcinfo->flinfo->fn_extra = pgf::pg::make_in_context<FunnelCallSite>(fcinfo->flinfo->fn_mcxt);
    return static_cast<FunnelCallSite*>(fcinfo->flinfo->fn_extra);
}

// The row (time, step mask) into the group's state, made on the group's first
// row from the window and modes arguments (2 and 3); later rows must repeat them,
// the number of steps and the step names (steps_id, 0 for boolean steps).
// has_modes: argument 3 is the modes text. Returns the state (it moves when it
// grows).
EventState* advance(FunctionCallInfo fcinfo, EventState* state, int n_steps, std::uint64_t steps_id, bool has_modes,
                    std::uint64_t mask) {
    if (!state) {
        MemoryContext context = pgf::pg::aggregate_context(fcinfo);  // first row only: see funnel_report_sfunc
        EventCall call;
        call.kind = pgf::pg::time_kind_of(get_fn_expr_argtype(fcinfo->flinfo, 1));
        call.spec.window = pgf::pg::window_in_time_units(call.kind, PG_GETARG_DATUM(2));
        call.spec.n_steps = n_steps;
        call.spec.steps_id = steps_id;
        if (has_modes) {
            const ModesText m = modes_arg(fcinfo, 3);
            call.spec.modes = pgf::parse_funnel_modes(std::string_view(m.data, m.size));
            call.param_text = m.data;
            call.param_size = static_cast<std::uint32_t>(m.size);  // a varlena: under 1 GB
        }
        pgf::check_funnel_spec(call.spec);
        state = pgf::pg::empty_event_state(
            pgf::pg::shared_call(fcinfo->flinfo, &call_site(fcinfo)->calls, context, call));
    } else {
        const EventCall& call = call_of(*state);
        if (pgf::pg::window_in_time_units(call.kind, PG_GETARG_DATUM(2)) != call.spec.window)
            fail(ErrorKind::InvalidParameter, "funnel window must be the same for every row of a group");
        if (n_steps != call.spec.n_steps)
            fail(ErrorKind::InvalidParameter, "the number of funnel steps must be the same for every row of a group");
        if (steps_id != call.spec.steps_id)
            fail(ErrorKind::InvalidParameter, "funnel step names must be the same for every row of a group");
        if (has_modes) pgf::pg::check_same_modes(modes_arg(fcinfo, 3), call.param_text, call.param_size, call.spec.modes);
    }

    if (PG_ARGISNULL(1)) return state;  // a NULL time drops the row
    const EventCall& call = call_of(*state);
    if (mask == 0 && !pgf::funnel_keeps_unmatched_rows(call.spec.modes)) return state;
    return pgf::pg::append_event(fcinfo, state, Event{pgf::pg::time_value(call.kind, PG_GETARG_DATUM(1)), mask});
}

// The row's step mask from the boolean conditions at argument `first` on.
std::uint64_t conditions_mask(FunctionCallInfo fcinfo, int first, int* n_steps) {
    const pgf::pg::ConditionArgs& c = pgf::pg::condition_args(fcinfo, &call_site(fcinfo)->conditions, first,
                                                              "funnel_steps and funnel_times",
                                                              pgf::pg::check_step_count);
    return c.row_mask(fcinfo, n_steps, "funnel steps must not be NULL", pgf::pg::steps_mask);
}

}  // namespace

// funnel_sfunc(state, ts, window, VARIADIC steps "any")
PGF_FUNCTION(funnel_sfunc) {
    EventState* state = PG_ARGISNULL(0) ? nullptr : reinterpret_cast<EventState*>(PG_GETARG_POINTER(0));
    if (PG_ARGISNULL(2)) fail(ErrorKind::NullNotAllowed, "funnel window must not be NULL");
    int n_steps = 0;
    const std::uint64_t mask = conditions_mask(fcinfo, 3, &n_steps);
    PG_RETURN_POINTER(advance(fcinfo, state, n_steps, 0, false, mask));
}

// funnel_modes_sfunc(state, ts, window, modes, steps): the steps are one boolean,
// a boolean and VARIADIC "any", or a boolean[].
PGF_FUNCTION(funnel_modes_sfunc) {
    EventState* state = PG_ARGISNULL(0) ? nullptr : reinterpret_cast<EventState*>(PG_GETARG_POINTER(0));
    if (PG_ARGISNULL(2)) fail(ErrorKind::NullNotAllowed, "funnel window must not be NULL");
    int n_steps = 0;
    const std::uint64_t mask = conditions_mask(fcinfo, 4, &n_steps);
    PG_RETURN_POINTER(advance(fcinfo, state, n_steps, 0, true, mask));
}

// funnel_names_sfunc(state, ts, window, [modes,] event, steps text[]): step i
// matches the rows whose event equals steps[i].
PGF_FUNCTION(funnel_names_sfunc) {
    EventState* state = PG_ARGISNULL(0) ? nullptr : reinterpret_cast<EventState*>(PG_GETARG_POINTER(0));
    if (PG_ARGISNULL(2)) fail(ErrorKind::NullNotAllowed, "funnel window must not be NULL");
    const pgf::pg::StepNamesArg* names = pgf::pg::step_names_arg(fcinfo, &call_site(fcinfo)->step_names,
                                                                 PG_NARGS() - 1, "funnel_steps and funnel_times");
    const std::uint64_t mask = pgf::pg::event_mask(fcinfo, PG_NARGS() - 2, *names->names);
    PG_RETURN_POINTER(
        advance(fcinfo, state, names->names->n_steps(), names->names->fingerprint(), PG_NARGS() == 6, mask));
}

PGF_FUNCTION(funnel_steps_ffunc) {
    if (PG_ARGISNULL(0)) PG_RETURN_INT32(0);
    EventState* state = reinterpret_cast<EventState*>(PG_GETARG_POINTER(0));
    int level = 0;
    {
        pgf::pg::ScratchEvents scratch;
        const Event* ev = pgf::pg::sorted_events(state, scratch.events());
        level = pgf::funnel_level(call_of(*state).spec, ev, state->size());
    }
    PG_RETURN_INT32(level);
}

PGF_FUNCTION(funnel_times_ffunc) {
    if (PG_ARGISNULL(0)) {
        const Oid element = get_element_type(get_fn_expr_rettype(fcinfo->flinfo));
        PG_RETURN_ARRAYTYPE_P(pgf::pg::time_array(pgf::pg::time_kind_of(element), nullptr, 0));
    }
    EventState* state = reinterpret_cast<EventState*>(PG_GETARG_POINTER(0));
    const EventCall& call = call_of(*state);
    ArrayType* result = nullptr;
    {
        pgf::pg::ScratchEvents scratch;
        const Event* ev = pgf::pg::sorted_events(state, scratch.events());
        const std::vector<std::int64_t> times = pgf::funnel_times(call.spec, ev, state->size());
        pgf::pg::pg_call([&] {
            result = pgf::pg::time_array(call.kind, times.data(), static_cast<int>(times.size()));
        });
    }
    PG_RETURN_ARRAYTYPE_P(result);
}
