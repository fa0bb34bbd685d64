// Binary form of an event-buffer aggregate state, as parallel workers ship it to
// the leader. Decoding validates every byte: a state is never trusted.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/event.hpp"

namespace pgf {

struct EventStateHeader {
    std::uint8_t time_kind = 0;  // the host's time type tag, < kTimeKinds
    std::uint8_t n_steps = 0;    // 1..kMaxSteps
    std::uint8_t sorted = 0;     // events are in (ts, mask) order
    std::uint32_t modes = 0;     // funnel modes (validated by the caller's check)
    std::int64_t window = 0;     // >= 0
    std::uint64_t count = 0;     // number of events that follow
    std::uint64_t steps_id = 0;  // FunnelSpec::steps_id
};

constexpr std::uint8_t kEventStateVersion = 2;
constexpr std::uint8_t kTimeKinds = 4;
constexpr std::size_t kEventStateHeaderSize = 1 + 1 + 1 + 1 + 4 + 8 + 8 + 8;
constexpr std::size_t kEncodedEventSize = 16;

std::size_t encoded_state_size(std::size_t count);

// Writes header + events into `out` (encoded_state_size(n) bytes).
void encode_state(const EventStateHeader& header, const Event* ev, std::size_t n, unsigned char* out);

// Validates and decodes the header; throws CorruptState. Mode bits are checked
// to be known ones; whether they make a valid combination, and whether events
// with an empty mask may appear, is for the caller, who knows the modes.
EventStateHeader decode_state_header(const unsigned char* in, std::size_t len);

// Decodes event i (0-based) of a validated state, checking its mask.
Event decode_state_event(const EventStateHeader& header, const unsigned char* in, std::size_t i);

}  // namespace pgf
