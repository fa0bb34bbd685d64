// Full decoding of an event-buffer aggregate state (funnel_steps, funnel_times):
// the byte-level checks of state_codec.hpp plus the checks that need the funnel
// contract (a valid spec, unmatched rows only where the modes keep them, dates
// within int32). Everything the deserializer needs, without PostgreSQL, so the
// fuzzer runs exactly what the server runs (test/fuzz/fuzz_event_state.cpp).
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/event.hpp"
#include "core/funnel.hpp"
#include "core/interrupt.hpp"
#include "core/state_codec.hpp"

namespace pgf {

struct EventStateInfo {
    std::uint8_t time_kind = 0;  // kStateTime* (core/state_time.hpp)
    FunnelSpec spec;
    bool sorted = false;  // the events are in (ts, mask) order
};

// The funnel spec of a decoded header; CorruptState when check_funnel_spec
// refuses it.
FunnelSpec event_state_spec(const EventStateHeader& h);

// Event i of a validated state with every check: its mask (decode_state_event),
// an empty mask only under modes that keep unmatched rows, its time in range
// for the time kind. Throws CorruptState.
Event decode_checked_event(const EventStateHeader& h, const unsigned char* in, std::size_t i);

// Decodes a whole state, appending its events to `events` (which must be empty;
// any vector of Event with reserve / push_back / back). Throws CorruptState.
template <typename Vec>
EventStateInfo decode_event_state(const unsigned char* in, std::size_t len, Vec& events) {
    const EventStateHeader h = decode_state_header(in, len);
    EventStateInfo info;
    info.time_kind = h.time_kind;
    info.spec = event_state_spec(h);
    info.sorted = h.sorted != 0;
    events.reserve(static_cast<std::size_t>(h.count));
    InterruptCheck interrupt;
    for (std::size_t i = 0; i < h.count; ++i) {
        const Event e = decode_checked_event(h, in, i);
        if (info.sorted && i > 0 && e < events.back()) info.sorted = false;
        events.push_back(e);
        interrupt.tick();
    }
    return info;
}

}  // namespace pgf
