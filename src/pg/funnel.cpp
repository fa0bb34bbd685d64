// SQL family: funnel_steps and funnel_times (transition and final functions).
#include <cstring>

#include "core/funnel.hpp"
#include "pg/event_state.hpp"
#include "pg/guard.hpp"
#include "pg/modes_arg.hpp"

using pgf::Event;
using pgf::ErrorKind;
using pgf::fail;
using pgf::pg::EventState;

using pgf::pg::ModesText;
using pgf::pg::modes_arg;

// funnel_sfunc(state, ts, window, [modes,] VARIADIC steps)
PGF_FUNCTION(funnel_sfunc) {
    EventState* state = PG_ARGISNULL(0) ? nullptr : reinterpret_cast<EventState*>(PG_GETARG_POINTER(0));
    const int steps_arg = PG_NARGS() - 1;
    const bool has_modes = PG_NARGS() == 5;

    if (PG_ARGISNULL(2)) fail(ErrorKind::NullNotAllowed, "funnel window must not be NULL");
    if (PG_ARGISNULL(steps_arg)) fail(ErrorKind::NullNotAllowed, "funnel steps must not be NULL");
    int n_steps = 0;
    const std::uint64_t mask = pgf::pg::steps_mask(PG_GETARG_ARRAYTYPE_P(steps_arg), &n_steps);

    if (!state) {
        MemoryContext context = pgf::pg::aggregate_context(fcinfo);  // first row only: see funnel_report_sfunc
        state = pgf::pg::make_in_context<EventState>(context, context);
        state->kind = pgf::pg::time_kind_of(get_fn_expr_argtype(fcinfo->flinfo, 1));
        state->spec.window = pgf::pg::window_in_time_units(state->kind, PG_GETARG_DATUM(2));
        state->spec.n_steps = n_steps;
        if (has_modes) {
            const ModesText m = modes_arg(fcinfo, 3);
            state->spec.modes = pgf::parse_funnel_modes(std::string_view(m.data, m.size));
            state->modes_text = pgf::pg::keep_modes_text(context, m);
            state->modes_size = m.size;
        }
        pgf::check_funnel_spec(state->spec);
    } else {
        if (pgf::pg::window_in_time_units(state->kind, PG_GETARG_DATUM(2)) != state->spec.window)
            fail(ErrorKind::InvalidParameter, "funnel window must be the same for every row of a group");
        if (n_steps != state->spec.n_steps)
            fail(ErrorKind::InvalidParameter, "the number of funnel steps must be the same for every row of a group");
        if (has_modes) {
            pgf::pg::check_same_modes(modes_arg(fcinfo, 3), state->modes_text, state->modes_size, state->spec.modes);
        }
    }

    if (PG_ARGISNULL(1)) PG_RETURN_POINTER(state);  // a NULL time drops the row
    if (mask == 0 && !pgf::funnel_keeps_unmatched_rows(state->spec.modes)) PG_RETURN_POINTER(state);
    state->append(Event{pgf::pg::time_value(state->kind, PG_GETARG_DATUM(1)), mask});
    PG_RETURN_POINTER(state);
}

PGF_FUNCTION(funnel_steps_ffunc) {
    if (PG_ARGISNULL(0)) PG_RETURN_INT32(0);
    EventState* state = reinterpret_cast<EventState*>(PG_GETARG_POINTER(0));
    state->sort();
    PG_RETURN_INT32(pgf::funnel_level(state->spec, state->events.data(), state->events.size()));
}

PGF_FUNCTION(funnel_times_ffunc) {
    if (PG_ARGISNULL(0)) {
        const Oid element = get_element_type(get_fn_expr_rettype(fcinfo->flinfo));
        PG_RETURN_ARRAYTYPE_P(pgf::pg::time_array(pgf::pg::time_kind_of(element), nullptr, 0));
    }
    EventState* state = reinterpret_cast<EventState*>(PG_GETARG_POINTER(0));
    state->sort();
    ArrayType* result = nullptr;
    {
        const std::vector<std::int64_t> times =
            pgf::funnel_times(state->spec, state->events.data(), state->events.size());
        pgf::pg::pg_call([&] {
            result = pgf::pg::time_array(state->kind, times.data(), static_cast<int>(times.size()));
        });
    }
    PG_RETURN_ARRAYTYPE_P(result);
}
