#include "core/event_state_codec.hpp"

#include <string>

#include "core/error.hpp"
#include "core/state_time.hpp"

namespace pgf {

namespace {

[[noreturn]] void corrupt(const std::string& what) {
    fail(ErrorKind::CorruptState, "corrupt pg_funnel aggregate state: " + what);
}

}  // namespace

FunnelSpec event_state_spec(const EventStateHeader& h) {
    FunnelSpec spec;
    spec.window = h.window;
    spec.n_steps = h.n_steps;
    spec.modes = h.modes;
    spec.steps_id = h.steps_id;
    try {
        check_funnel_spec(spec);
    } catch (const Error& e) {
        corrupt(e.what());
    }
    return spec;
}

Event decode_checked_event(const EventStateHeader& h, const unsigned char* in, std::size_t i) {
    const Event e = decode_state_event(h, in, i);
    if (e.mask == 0 && !funnel_keeps_unmatched_rows(h.modes)) corrupt("unexpected unmatched row");
    if (!plausible_state_time(h.time_kind, e.ts)) corrupt("date out of range");
    return e;
}

}  // namespace pgf
