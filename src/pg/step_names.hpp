// Funnel steps given as event names: the text[] argument of funnel_report and
// funnel_steps / funnel_times (..., event, steps text[]). Each distinct array is
// read once per call site and kept for the query, so a row costs one lookup of
// its event, not one comparison per step.
#pragma once

#include "core/step_names.hpp"
#include "pg/postgres.hpp"

namespace pgf::pg {

// One distinct steps array of a call site, alive for the whole query. States
// keep its names' fingerprint (FunnelSpec::steps_id), which also travels with
// parallel states: rows of a group must give the same names.
struct StepNamesArg {
    const StepNames* names = nullptr;
    const char* bytes = nullptr;  // the array's bytes (varlena header included)
    std::size_t size = 0;
    StepNamesArg* next = nullptr;
};

// The steps of this row's argument `argno` (a text[]). Raises for a NULL, empty,
// multi-dimensional or too long array, a NULL name, or a nondeterministic
// collation (`function` names the caller in that message). `slot` is where the
// call site keeps what it read, in fn_mcxt (null at first; fn_extra or a field of
// what is there).
const StepNamesArg* step_names_arg(FunctionCallInfo fcinfo, void** slot, int argno, const char* function);

// The row's event against the steps: its step mask (0 for a NULL event or a
// name that is no step).
std::uint64_t event_mask(FunctionCallInfo fcinfo, int argno, const StepNames& names);

// Text compared as bytes means equality only under a deterministic collation.
bool collation_is_deterministic(FunctionCallInfo fcinfo);

}  // namespace pgf::pg
