// Binary form of the sequence_match / sequence_count / sequence_match_times
// aggregate state, as parallel workers ship it to the leader: u32 little-endian
// pattern length, the pattern bytes, then an event state (core/state_codec.hpp)
// whose n_steps is the number of conditions, with window 0, modes 0, no event
// with an empty mask, dates within int32, and a pattern that parses. Decoding
// validates every byte (test/fuzz/fuzz_sequence_state.cpp feeds it random bytes).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/event.hpp"
#include "core/interrupt.hpp"
#include "core/state_codec.hpp"

namespace pgf {

struct SequenceStateLayout {
    std::string_view pattern;         // points into the encoded state
    EventStateHeader header;          // validated, window, modes and steps id 0
    const unsigned char* events = nullptr;  // the event state (header included)
};

// Size of a state; LimitExceeded past `max_size` bytes.
std::size_t sequence_state_size(std::size_t pattern_size, std::size_t count, std::size_t max_size);

// Writes the state (sequence_state_size bytes). h.window and h.modes must be 0.
void encode_sequence_state(std::string_view pattern, const EventStateHeader& h, const Event* ev, std::size_t n,
                           unsigned char* out);

// Validates the envelope and the event header; throws CorruptState.
SequenceStateLayout decode_sequence_layout(const unsigned char* in, std::size_t len);

// Event i of a validated layout with every check (mask within the conditions and
// not empty, time in range for the time kind); throws CorruptState.
Event decode_sequence_event(const SequenceStateLayout& layout, std::size_t i);

[[noreturn]] void corrupt_sequence_state(const std::string& what);

struct SequenceStateInfo {
    std::string_view pattern;  // points into the encoded state
    std::uint8_t time_kind = 0;
    int n_conditions = 0;
    bool sorted = false;  // the events are in (ts, mask) order
};

// Decodes a whole state, appending its events to `events` (which must be empty).
// check_pattern(text, n_conditions, time_kind) validates the pattern (by parsing
// it, with the time unit of the kind); a pgf::Error it throws becomes
// CorruptState, anything else passes through.
template <typename Vec, typename CheckPattern>
SequenceStateInfo decode_sequence_state(const unsigned char* in, std::size_t len, Vec& events,
                                        CheckPattern&& check_pattern) {
    const SequenceStateLayout layout = decode_sequence_layout(in, len);
    SequenceStateInfo info;
    info.pattern = layout.pattern;
    info.time_kind = layout.header.time_kind;
    info.n_conditions = layout.header.n_steps;
    try {
        check_pattern(layout.pattern, info.n_conditions, info.time_kind);
    } catch (const Error& e) {
        corrupt_sequence_state(e.what());
    }
    info.sorted = layout.header.sorted != 0;
    events.reserve(static_cast<std::size_t>(layout.header.count));
    InterruptCheck interrupt;
    for (std::size_t i = 0; i < layout.header.count; ++i) {
        const Event e = decode_sequence_event(layout, i);
        if (info.sorted && i > 0 && e < events.back()) info.sorted = false;
        events.push_back(e);
        interrupt.tick();
    }
    return info;
}

}  // namespace pgf
